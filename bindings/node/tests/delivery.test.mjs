// Delivery operations from Node: filters, getEvents, replay and delivered(), against the mock
// (which also plays the receiver).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as ow from '../index.mjs';
import { MOCK_KEY, startMock } from './helpers.mjs';

const GENERATED = '650000000000000000000001';
const FIRST = 1_700_000_000; // created of generated event 0; event i is 300 s (EVENT_SPACING) later
let mock;

before(async () => {
  mock = await startMock('--events', '20');
});
after(() => mock.stop());

const client = () => new ow.Client({ apiKey: MOCK_KEY, baseUrl: mock.url, retryInitialDelayMs: 10 });
const received = async () => (await fetch(`${mock.url}/__mock/received`)).json();

test('listEvents filters by type and window (Date, RFC 3339, ms ago)', async () => {
  await mock.reset();
  const c = client();
  const deleted = await c.listEvents(GENERATED, { types: ['video.deleted'] });
  assert.ok(deleted.length > 0 && deleted.every((e) => e.type === 'video.deleted'));
  assert.deepEqual(await c.listEvents(GENERATED, { types: 'video.deleted' }), deleted);
  const since = new Date((FIRST + 300 * 5) * 1000);
  const until = new Date((FIRST + 300 * 9) * 1000).toISOString();
  const window = await c.listEvents(GENERATED, { since, until });
  assert.deepEqual(window.map((e) => e.created), [5, 6, 7, 8, 9].map((i) => FIRST + 300 * i));
  assert.deepEqual(await c.listEvents(GENERATED, { since: 24 * 3600 * 1000 }), [], 'the generated events are from 2023');
  await assert.rejects(c.listEvents(GENERATED, { since: 'yesterday' }), ow.ConfigurationError);
  await assert.rejects(c.listEvents(GENERATED, { since: {} }), TypeError);
});

test('getEvents settles each item in input order; delivered() reads the outcome', async () => {
  await mock.reset();
  const c = client();
  const ids = (await c.listEvents(GENERATED)).map((e) => e.id);
  const mixed = [...ids.slice(0, 3), '650000000000000000ffffff', ...ids.slice(3)];
  const results = await c.getEvents(GENERATED, mixed, { concurrency: 4 });
  assert.deepEqual(results.map((r) => r.status), mixed.map((id) => (id.endsWith('ffffff') ? 'rejected' : 'fulfilled')));
  assert.ok(results[3].reason instanceof ow.NotFoundError && results[3].reason.status === 404);
  assert.deepEqual(results.filter((r) => r.value).map((r) => r.value.id), ids);
  const outcomes = new Set(results.filter((r) => r.value).map((r) => ow.delivered(r.value)));
  assert.deepEqual([...outcomes].sort(), [false, null, true].sort());
  assert.equal(ow.delivered((await c.listEvents(GENERATED))[0]), null, 'the list has no answers');
  // The same class and message as the CLI's and Python's (the client crate's Concurrency).
  for (const concurrency of [0, 257]) {
    await assert.rejects(c.getEvents(GENERATED, ids, { concurrency }), {
      name: 'ConfigurationError',
      message: `concurrency must be between 1 and 256, not ${concurrency}`,
    });
  }
  assert.ok(Number.isInteger(ow.DEFAULT_CONCURRENCY) && ow.DEFAULT_CONCURRENCY >= 1, 'exported default');
});

test('an aborted getEvents rejects at once', async () => {
  await mock.reset();
  await mock.script(Array.from({ length: 20 }, () => ({ delay_ms: 3000 })));
  const controller = new AbortController();
  const ids = Array.from({ length: 20 }, (_, i) => `65${i.toString(16).padStart(22, '0')}`);
  const pending = client().getEvents(GENERATED, ids, { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = performance.now();
  controller.abort();
  await assert.rejects(pending, (e) => e.name === 'AbortError');
  assert.ok(performance.now() - started < 1000);
  // The delayed requests' connections are closed by the abort (not left to finish).
  const used = new Set((await mock.requests()).map((r) => r.connection));
  assert.ok(used.size >= 4, `four calls at once, got ${used.size} connections`);
  const deadline = Date.now() + 5000;
  for (;;) {
    const open = (await mock.connections()).filter((conn) => used.has(conn.id) && !conn.closed);
    if (open.length === 0) break;
    assert.ok(Date.now() < deadline, `connections still open: ${JSON.stringify(open)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

test('replay reaches the receiver without the key', async () => {
  await mock.reset();
  const c = client();
  const event = await c.getEvent(GENERATED, '650000000000000000000003');
  const answer = await c.replay(event, `${mock.url}/__receiver/hooks`);
  assert.equal(answer.ok, true);
  assert.equal(answer.status, 200);
  assert.equal(answer.eventId, event.id);
  await fetch(`${mock.url}/__mock/receiver`, { method: 'POST', body: '[500]' });
  const refused = await c.replay(event, `${mock.url}/__receiver/hooks`);
  assert.deepEqual([refused.ok, refused.status], [false, 500]);
  const deliveries = await received();
  assert.equal(deliveries.length, 2);
  for (const delivery of deliveries) {
    assert.equal(delivery.headers.authorization, undefined);
    assert.ok(!JSON.stringify(delivery).includes(MOCK_KEY));
    assert.equal(delivery.headers['omega-webhooks-replay'], event.id);
    const sent = ow.parseEvent(delivery.body);
    assert.equal(sent.id, event.id);
    assert.equal(sent.response, null);
  }
  await assert.rejects(c.replay(event, 'http://example.com/hooks'), ow.ConfigurationError);
  await assert.rejects(c.replay(event, 'http://127.0.0.1:9/hooks'), ow.APIConnectionError);
});

test('failedDeliveries returns the failed or unanswered events in full', async () => {
  await mock.reset();
  const c = client();
  const ids = (await c.listEvents(GENERATED)).map((e) => e.id);
  const expected = (await c.getEvents(GENERATED, ids)).map((r) => r.value).filter((e) => ow.delivered(e) !== true).map((e) => e.id);
  const failed = await c.failedDeliveries(GENERATED, { concurrency: 3 });
  assert.ok(expected.length > 0);
  assert.deepEqual(failed.map((e) => e.id), expected);
  const deleted = await c.failedDeliveries(GENERATED, { types: 'video.deleted' });
  assert.ok(deleted.every((e) => e.type === 'video.deleted'));
  await assert.rejects(c.failedDeliveries(GENERATED, { concurrency: 0 }), ow.ConfigurationError);
});
