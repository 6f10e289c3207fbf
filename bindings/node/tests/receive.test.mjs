// The receiver from Node: the conformance cases (fixtures/receive), verification against the
// mock, the README's Express and fetch (Hono) recipes run as written, the adapters' own answers,
// the test helpers, and 20,000 mutated bodies that never crash, hang or answer 5xx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ow from '../index.mjs';
import { FUZZ_INPUTS, MOCK_KEY, ROOT, fuzzCorpus, readJson, startMock } from './helpers.mjs';

const CASES = readJson('fixtures/receive/cases.json');
const WIRE = join(ROOT, 'fixtures', 'events', 'wire');
const DOCUMENTED = readFileSync(join(WIRE, 'details-example.json'));
const JSON_TYPE = { 'content-type': 'application/json' };
let mock;

before(async () => {
  mock = await startMock();
});
after(() => mock.stop());

function caseBody(c) {
  if (c.body_file) return readFileSync(join(ROOT, 'fixtures', c.body_file));
  if (c.body_repeat) return c.body_repeat.text.repeat(c.body_repeat.times);
  return c.body;
}

function caseReceiver(c) {
  const { max_body_bytes: maxBodyBytes, expose_errors: exposeErrors, endpoints, dedupe } = c.receiver ?? {};
  const receiver = new ow.Receiver({ maxBodyBytes, exposeErrors, endpoints, dedupe });
  const handler = async () => {
    if (c.fails) {
      const error = new Error(c.fails.message);
      error.name = c.fails.class;
      throw error;
    }
  };
  for (const kind of c.handlers) {
    if (kind === '*') receiver.onAny(handler);
    else receiver.on(kind, handler);
  }
  return receiver;
}

test('every conformance case gets its answer', async () => {
  assert.ok(CASES.length >= 40);
  for (const c of CASES) {
    const receiver = caseReceiver(c);
    let answer;
    for (let i = 0; i < (c.deliveries ?? 1); i++) answer = await receiver.handle(caseBody(c), c.headers ?? {});
    assert.deepEqual({ outcome: answer.outcome, status: answer.status, body: answer.body }, c.expect, c.description);
    assert.equal(answer.headers['content-type'], 'text/plain; charset=utf-8');
    const withEvent = [200, 500].includes(c.expect.status) || (c.receiver?.dedupe !== undefined && c.expect.status !== 400);
    assert.equal(answer.event !== null, withEvent, c.description);
  }
});

test('verify hands over the API copy, refuses forgeries (403) and never handles unverified (503)', async () => {
  const client = new ow.Client({ apiKey: MOCK_KEY, baseUrl: mock.url, maxRetries: 0 });
  const titles = [];
  const receiver = new ow.Receiver({ verify: client }).onAny((event) => titles.push(event.data.video.title));
  const event = JSON.parse(DOCUMENTED);
  event.data.video.title = 'posted by someone';
  const handled = await receiver.handle(JSON.stringify(event), JSON_TYPE);
  assert.equal(handled.body, 'handled video.process_succeeded 630fac88bd5bb64cf8b24b99');
  assert.equal(handled.event.data.video.title, 'Sintel');
  event.id = '630fac88bd5bb64cf8b24b00';
  const forged = await receiver.handle(JSON.stringify(event), JSON_TYPE);
  assert.deepEqual([forged.status, forged.outcome, forged.body], [403, 'forged', 'unknown event 630fac88bd5bb64cf8b24b00: not delivered by Omega']);
  const down = await startMock();
  const downClient = new ow.Client({ apiKey: MOCK_KEY, baseUrl: down.url, maxRetries: 0 });
  await down.stop();
  const unverified = await new ow.Receiver({ verify: downClient }).onAny((e) => titles.push(e.id)).handle(DOCUMENTED);
  assert.deepEqual([unverified.status, unverified.body], [503, 'cannot verify 630fac88bd5bb64cf8b24b99: APIConnectionError']);
  assert.deepEqual(titles, ['Sintel'], "the API's copy reached the handler, the forgery and the unverified none");
  assert.throws(() => new ow.Receiver({ verify: {} }), ow.ConfigurationError);
  assert.throws(() => new ow.Receiver({ maxBodyBytes: 0 }), ow.ConfigurationError);
  assert.throws(() => new ow.Receiver({ endpoints: ['not an id'] }), ow.ConfigurationError);
});

/** The README's ```js block of the receiving section that starts with `// name`, saved as a
 * module inside the package (so `import ... from 'omega-webhooks'` is this package) and imported. */
async function recipe(name) {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## Receiving webhooks\n')[1].split('\n## ')[0];
  const [code] = [...section.matchAll(/```js\n(.*?)```/gs)].map((m) => m[1]).filter((c) => c.startsWith(`// ${name}\n`));
  assert.ok(code, `the README has the ${name} recipe`);
  const dir = join(ROOT, 'target', 'readme-examples');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `receive-${name.replace(/\W+/g, '-')}.mjs`);
  writeFileSync(file, code);
  return import(pathToFileURL(file).href);
}

/** Runs `fn` with console.log captured; what it printed. */
async function printed(fn) {
  const lines = [];
  const log = console.log;
  console.log = (...args) => lines.push(args.join(' '));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return lines;
}

/** The documented payloads (with a video) of the given types, and a synthetic one of the first. */
function payloads(types) {
  const bodies = readdirSync(WIRE)
    .map((name) => readFileSync(join(WIRE, name)))
    .filter((raw) => {
      const event = JSON.parse(raw);
      return types.includes(event.type) && event.data?.video;
    });
  bodies.push(ow.testing.eventBody(types[0], { set: { 'data.video.title': 'Synthetic' }, seed: 11 }));
  return bodies.map((raw) => [raw, JSON.parse(raw)]);
}

test('the README Express recipe runs as written on a real server', async () => {
  const { app } = await recipe('Express');
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${server.address().port}/hooks/omega`;
  try {
    const bodies = payloads(['video.process_succeeded', 'video.process_failed']);
    assert.ok(bodies.length >= 5);
    const lines = await printed(async () => {
      for (const [raw, event] of bodies) {
        const response = await fetch(url, { method: 'POST', body: raw, headers: JSON_TYPE });
        assert.equal(response.status, 200);
        assert.equal(await response.text(), `handled ${event.type} ${event.id}`);
      }
    });
    assert.equal(lines.length, bodies.length, 'each handler got its event');
    assert.ok(lines.at(-1).startsWith('ready video.process_succeeded Synthetic'), lines.at(-1));
    const bad = await fetch(url, { method: 'POST', body: '{"id": 1}', headers: JSON_TYPE });
    assert.deepEqual([bad.status, await bad.text()], [400, 'WebhookPayloadError: id: invalid type: integer `1`, expected a string']);
  } finally {
    server.close();
  }
});

test('the README fetch (Hono) recipe runs as written', async () => {
  const { app } = await recipe('fetch (Hono)');
  const bodies = payloads(['video.uploaded', 'video.process_succeeded']);
  const lines = await printed(async () => {
    for (const [raw, event] of bodies) {
      const response = await app.request('/hooks/omega', { method: 'POST', body: raw, headers: JSON_TYPE });
      assert.deepEqual([response.status, await response.text()], [200, `handled ${event.type} ${event.id}`]);
    }
  });
  assert.deepEqual(lines, bodies.map(([, e]) => `event ${e.type} ${e.data.video?.title ?? e.data.title}`));
});

test('express.json() in front: 500 saying how to mount; express.raw() works', async () => {
  const { default: express } = await import('express');
  const receiver = new ow.Receiver().onAny(() => {});
  const app = express();
  app.post('/parsed', express.json(), receiver.node);
  app.post('/raw', express.raw({ type: 'application/json' }), receiver.node);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const parsed = await fetch(`${base}/parsed`, { method: 'POST', body: DOCUMENTED, headers: JSON_TYPE });
    assert.equal(parsed.status, 500);
    assert.match(await parsed.text(), /mount the receiver before express\.json\(\)/);
    const raw = await fetch(`${base}/raw`, { method: 'POST', body: DOCUMENTED, headers: JSON_TYPE });
    assert.deepEqual([raw.status, await raw.text()], [200, 'handled video.process_succeeded 630fac88bd5bb64cf8b24b99']);
  } finally {
    server.close();
  }
});

test('the adapters answer 405 and 413 themselves', async () => {
  const receiver = new ow.Receiver({ maxBodyBytes: 100 });
  const get = await receiver.fetch(new Request('http://localhost/hooks', { method: 'GET' }));
  assert.deepEqual([get.status, get.headers.get('allow'), await get.text()], [405, 'POST', 'use POST']);
  const big = await receiver.fetch(new Request('http://localhost/hooks', { method: 'POST', body: ' '.repeat(101) }));
  assert.deepEqual([big.status, await big.text()], [413, 'body larger than 100 bytes']);
  const { createServer } = await import('node:http');
  const server = createServer(receiver.node).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const url = `http://127.0.0.1:${server.address().port}/`;
    const large = await fetch(url, { method: 'POST', body: ' '.repeat(5000) });
    assert.deepEqual([large.status, await large.text()], [413, 'body larger than 100 bytes']);
    const put = await fetch(url, { method: 'PUT', body: '{}' });
    assert.equal(put.status, 405);
  } finally {
    server.close();
  }
});

test('eventBody and startMock', async () => {
  const body = ow.testing.eventBody('video.deleted', { seed: 3 });
  assert.deepEqual(body, ow.testing.eventBody('video.deleted', { seed: 3 }));
  const event = ow.parseEvent(ow.testing.eventBody('video.new_kind', { set: { 'data.video.size': 42 }, seed: 3 }));
  assert.deepEqual([event.type, event.response, event.data.video.size], ['video.new_kind', null, 42]);
  assert.throws(() => ow.testing.eventBody('video.uploaded', { set: { created: 'soon' } }), ow.ConfigurationError);
  const server = await ow.testing.startMock({ events: 3 });
  const client = new ow.Client({ apiKey: server.apiKey, baseUrl: server.baseUrl });
  assert.equal((await client.listEvents(server.endpointId)).length, 3);
  server.close();
  await assert.rejects(new ow.Client({ apiKey: server.apiKey, baseUrl: server.baseUrl, maxRetries: 0 }).listEvents(server.endpointId), ow.APIConnectionError);
});

const COUNT = FUZZ_INPUTS;

test(`${COUNT} mutated bodies: answered 200, 400 with a path, or 413 — never 5xx`, async () => {
  const receiver = new ow.Receiver({ maxBodyBytes: 4096 }).onAny(() => {});
  const counts = {};
  for (const { body } of fuzzCorpus()) {
    const answer = await receiver.handle(body, JSON_TYPE);
    counts[answer.status] = (counts[answer.status] ?? 0) + 1;
    assert.ok([200, 400, 413].includes(answer.status), `${answer.status} ${answer.body}`);
    assert.ok(Buffer.byteLength(answer.body) <= 200 && !answer.body.includes('\n'));
    if (answer.status === 400) assert.match(answer.body, /^WebhookPayloadError: \S+: /);
  }
  assert.ok(counts[200] > COUNT / 20 && counts[400] > COUNT / 20, JSON.stringify(counts));
});

test('receiver.node in 3 workers terminated with 200 deliveries in flight each: 20 processes exit cleanly', async () => {
  const { spawnSync } = await import('node:child_process');
  const host = join(ROOT, 'bindings', 'node', 'tests', 'scripts', 'receive-worker-host.mjs');
  const failures = [];
  for (let run = 0; run < 20; run++) {
    // Terminated from right after node:http has read the 200 requests (the receivers' API
    // calls and claims starting) to while they are in flight (see the host's comment).
    const stepMs = [1, 9, 30, 60, 120][run % 5];
    const result = spawnSync(process.execPath, [host, mock.url, String(stepMs)], { encoding: 'utf8', timeout: 30_000 });
    if (result.status !== 0 || result.stdout.trim() !== 'ok') {
      failures.push(`run ${run}: status ${result.status} signal ${result.signal}\n${result.stderr.slice(-800)}`);
    }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});
