// The Node Client: the event loop stays free, concurrency, abort, secrets, errors, options.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ow from '../index.mjs';
import { MOCK_KEY, startMock } from './helpers.mjs';

const require = createRequire(import.meta.url);
const GENERATED = '650000000000000000000001';
const SECRET = 'sk_live_node_d0n0tl3ak';
let mock;

before(async () => {
  mock = await startMock('--events', '600');
});
after(() => mock.stop());

const client = (options = {}) => new ow.Client({ apiKey: MOCK_KEY, baseUrl: mock.url, retryInitialDelayMs: 10, ...options });

test('the event loop keeps ticking while a slow request is pending', async () => {
  await mock.reset();
  await mock.script([{ delay_ms: 600 }]);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const started = performance.now();
  const events = await client().listEvents('6336cd2b5790c27875f70d96');
  clearInterval(timer);
  assert.equal(events.length, 2);
  assert.ok(performance.now() - started >= 550);
  assert.ok(ticks >= 30, `only ${ticks} ticks in 600 ms: the event loop was blocked`);
});

test('500 concurrent getEvent calls all resolve correctly', async () => {
  await mock.reset();
  const c = client();
  const ids = (await c.listEvents(GENERATED)).slice(0, 500).map((e) => e.id);
  assert.equal(ids.length, 500);
  const events = await Promise.all(ids.map((id) => c.getEvent(GENERATED, id)));
  assert.deepEqual(events.map((e) => e.id), ids);
  assert.ok(events.every((e) => e.data.video && (e.response === null || e.response.status_code > 0)));
  assert.ok(events.filter((e) => e.response).length > 400, 'most generated deliveries have an answer');
});

test('an aborted request rejects promptly and the mock sees the connection closed', async () => {
  await mock.reset();
  await mock.script([{ action: 'hang' }]);
  const controller = new AbortController();
  const pending = client({ timeoutMs: 60_000 }).listEvents('6336cd2b5790c27875f70d96', { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = performance.now();
  controller.abort();
  await assert.rejects(pending, (e) => e.name === 'AbortError');
  assert.ok(performance.now() - started < 500, 'rejects promptly');
  const [request] = await mock.requests();
  let closed = false;
  for (let i = 0; i < 60 && !closed; i++) {
    closed = (await mock.connections()).some((c) => c.id === request.connection && c.closed);
    if (!closed) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(closed, 'the aborted request closed its connection');
  // An already-aborted signal rejects without a request; a custom reason is kept.
  const done = new AbortController();
  done.abort(new Error('stop'));
  await assert.rejects(client().listEvents('6336cd2b5790c27875f70d96', { signal: done.signal }), /stop/);
});

test('a list sent slowly is parsed in pieces while it arrives: the same events, also after a truncated attempt', async () => {
  const [fast, slow] = await Promise.all([startMock('--events', '8000'), startMock('--events', '8000', '--rate', '40')]);
  // Counts the pieces the addon hands over (the JS thread parses each as it comes).
  const { NativeListPieces } = require('../addon.js').native;
  const next = NativeListPieces.prototype.next;
  let pieces = 0;
  NativeListPieces.prototype.next = async function counted() {
    const piece = await next.call(this);
    if (piece) pieces++;
    return piece;
  };
  try {
    const expected = await client({ baseUrl: fast.url }).listEvents(GENERATED);
    assert.equal(expected.length, 8000);
    for (const steps of [[], [{ action: 'truncate' }]]) {
      await slow.script(steps);
      pieces = 0;
      assert.deepStrictEqual(await client({ baseUrl: slow.url }).listEvents(GENERATED), expected, JSON.stringify(steps));
      assert.ok(pieces > 3, `${pieces} pieces`);
    }
    // Aborted while its pieces arrive: rejects promptly, nothing left pending.
    const controller = new AbortController();
    const pending = client({ baseUrl: slow.url }).listEvents(GENERATED, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await assert.rejects(pending, (e) => e.name === 'AbortError');
  } finally {
    NativeListPieces.prototype.next = next;
    await Promise.all([fast.stop(), slow.stop()]);
  }
});

test('the key never appears in inspection output or errors', async () => {
  await mock.reset();
  const c = new ow.Client({ apiKey: SECRET, baseUrl: mock.url, maxRetries: 0 });
  const texts = [inspect(c), inspect(c, { showHidden: true, depth: 10 }), JSON.stringify(c), String(c)];
  const failures = [
    () => c.listEvents('6336cd2b5790c27875f70d96'),
    () => c.getEvent('6336cd2b5790c27875f70d96', 'a/b'),
    async () => new ow.Client({ apiKey: `${SECRET}\n` }),
    async () => new ow.Client({ apiKey: SECRET, baseUrl: 'http://example.com' }),
  ];
  const errors = [];
  for (const fail of failures) {
    await assert.rejects(fail, (e) => errors.push(e) > 0);
  }
  assert.ok(errors[0] instanceof ow.AuthenticationError);
  assert.ok(errors.slice(1).every((e) => e instanceof ow.ConfigurationError));
  for (const e of errors) texts.push(inspect(e), e.stack, JSON.stringify(e), String(e));
  for (const text of texts) assert.ok(!text.includes(SECRET) && !text.includes('d0n0tl3ak'), text);
});

test('a connection failure keeps its cause', async () => {
  const c = new ow.Client({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
  await assert.rejects(c.listEvents('6336cd2b5790c27875f70d96'), (e) => {
    assert.ok(e instanceof ow.APIConnectionError && e.name === 'APIConnectionError');
    assert.ok(e.cause instanceof Error && /refused/i.test(e.cause.message), String(e.cause));
    return true;
  });
  assert.equal(Object.getPrototypeOf(ow.OmegaError), Error);
  assert.equal(new ow.RateLimitError('x').name, 'RateLimitError');
});

test('status errors carry their details', async () => {
  await mock.reset();
  await mock.script([{ status: 429, headers: { 'retry-after': '3600', 'x-request-id': 'req_9' }, body: { message: 'slow down' } }]);
  await assert.rejects(client().listEvents('6336cd2b5790c27875f70d96'), (e) => {
    assert.ok(e instanceof ow.RateLimitError && e instanceof ow.APIStatusError);
    assert.deepEqual([e.status, e.apiMessage, e.requestId, e.retryAfter, e.attempts], [429, 'slow down', 'req_9', 3600, 1]);
    assert.equal(e.message, '429 Too Many Requests: slow down (request id req_9)');
    assert.equal(e.headers['x-request-id'], 'req_9');
    assert.ok(e.body.includes('slow down'));
    return true;
  });
});

test('options and the environment', async () => {
  await mock.reset();
  process.env.OMEGA_API_KEY = MOCK_KEY;
  process.env.OMEGA_BASE_URL = `${mock.url}/company/`;
  try {
    const c = new ow.Client();
    assert.equal(c.baseUrl, `${mock.url}/company`);
    assert.equal((await c.listEvents('6336cd2b5790c27875f70d96')).length, 2);
    const [request] = await mock.requests();
    assert.ok(request.headers['user-agent'].startsWith('omega-webhooks/'));
    assert.ok(request.headers['user-agent'].includes(`(node; ${process.versions.node})`));
  } finally {
    delete process.env.OMEGA_API_KEY;
    delete process.env.OMEGA_BASE_URL;
  }
  assert.throws(() => new ow.Client(), (e) => e instanceof ow.ConfigurationError && /OMEGA_API_KEY/.test(e.message));
  for (const bad of [{ timeoutMs: -1 }, { timeoutMs: NaN }, { maxRetries: -1 }, { maxResponseBytes: 0 }, { apiKey: 42 }]) {
    assert.throws(() => new ow.Client({ apiKey: 'k', ...bad }), ow.ConfigurationError, JSON.stringify(bad));
  }
  assert.throws(() => new ow.Client('k'), ow.ConfigurationError);
  await assert.rejects(client().listEvents(42), TypeError);
});

test('close() closes the pooled connections now and later calls reject', async () => {
  await mock.reset();
  const c = client();
  await Promise.all(Array.from({ length: 16 }, () => c.listEvents('6336cd2b5790c27875f70d96')));
  const used = new Set((await mock.requests()).map((r) => r.connection));
  const open = async () => (await mock.connections()).filter((x) => used.has(x.id) && !x.closed).length;
  assert.ok((await open()) >= 2, 'the pool holds connections before close()');
  assert.equal(c.closed, false);
  c.close();
  assert.equal(c.closed, true);
  for (let i = 0; i < 100 && (await open()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(await open(), 0, 'connections still open after close()');
  await assert.rejects(c.getEvent('6336cd2b5790c27875f70d96', '63377e715790c27875f70dbd'), (e) => {
    assert.ok(e instanceof ow.ConfigurationError);
    assert.equal(e.message, 'the client is closed');
    return true;
  });
});

test('durations and counts beyond what the clock holds are ConfigurationErrors', () => {
  for (const bad of [{ timeoutMs: 1e22 }, { timeoutMs: 4e21 }, { connectTimeoutMs: Infinity }, { totalTimeoutMs: 3.2e10 },
    { retryInitialDelayMs: 1e300 }, { maxRetries: 2 ** 70 }, { apiKey: '  ' }, { apiKey: 'k ' }]) {
    assert.throws(() => new ow.Client({ apiKey: 'k', ...bad }), ow.ConfigurationError, JSON.stringify(bad));
  }
  assert.throws(() => new ow.Client({ apiKey: 'k', baseUrl: 'https://u:SEKRET@h.test/c' }), (e) => {
    assert.ok(e instanceof ow.ConfigurationError);
    assert.ok(!e.message.includes('SEKRET') && e.message.includes('***@h.test'), e.message);
    return true;
  });
});

test('integers beyond 2^53 - 1 in typed fields are refused, not rounded', () => {
  const event = readFileSync(new URL('../../../fixtures/events/wire/details-example.json', import.meta.url), 'utf8');
  for (const [from, to, path] of [['"created": 1661971592', '"created": 9007199254740993', 'created'],
    ['"size": 190612452', '"size": 18446744073709551615', 'data.video.size']]) {
    assert.ok(event.includes(from), from);
    assert.throws(() => ow.parseEvent(event.replace(from, to)), (e) => e instanceof ow.WebhookPayloadError && e.path === path);
  }
  const max = ow.parseEvent(event.replace('"created": 1661971592', '"created": 9007199254740991'));
  assert.equal(max.created, Number.MAX_SAFE_INTEGER);
});
