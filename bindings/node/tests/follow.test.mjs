// follow() and waitForEvent() from Node, against the mock: new events once each across restarts,
// an AbortSignal that ends a follow mid-poll (closing its connection, losing nothing), and waits
// that find an event or time out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ow from '../index.mjs';
import { MOCK_KEY, startMock, tempDir } from './helpers.mjs';

const GENERATED = '650000000000000000000001';
const FIRST = 1_700_000_000; // created of generated event 0; event i is 300 s (EVENT_SPACING) later
const FAST = 50; // poll interval of these tests, in milliseconds

const at = (index) => new Date((FIRST + 300 * index) * 1000);
const eventId = (index) => `65${index.toString(16).padStart(22, '0')}`;
const client = (mock) => new ow.Client({ apiKey: MOCK_KEY, baseUrl: mock.url, retryInitialDelayMs: 10 });
const states = tempDir('omega-follow-');
let stateFiles = 0;
const statePath = () => join(states, `state-${(stateFiles += 1)}.json`);
const seen = (state) => JSON.parse(readFileSync(state, 'utf8')).seen;

/** A new event on the generated endpoint, as if Omega had just delivered it. */
async function append(mock) {
  return (await (await fetch(`${mock.url}/__mock/events`, { method: 'POST' })).json()).id;
}

/** Resolves once the mock has received `count` API requests. */
async function requestsReach(mock, count) {
  const deadline = Date.now() + 10_000;
  while ((await mock.requests()).length < count) {
    assert.ok(Date.now() < deadline, 'the request never came');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('follow yields new events once each across a restart', async () => {
  const mock = await startMock('--events', '20');
  try {
    const c = client(mock);
    const state = statePath();
    const events = c.follow(GENERATED, { intervalMs: FAST, since: at(17), state });
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await events.next()).value.id);
    assert.deepEqual(first, [eventId(17), eventId(18), eventId(19)]);
    const added = [await append(mock), await append(mock)];
    assert.equal((await events.next()).value.id, added[0]);
    assert.ok(!seen(state).includes(added[0]), 'handed out, not yet handled');
    await events.return();

    const later = await append(mock);
    const restarted = c.follow(GENERATED, { intervalMs: FAST, state });
    const again = [];
    for await (const event of restarted) {
      again.push(event.id);
      if (again.length === 3) break;
    }
    assert.deepEqual(again, [added[0], added[1], later]);
    assert.throws(() => c.follow('6336cd2b5790c27875f70d96', { state }), ow.ConfigurationError);
    // A state file that does not parse, or cannot be written: the error keeps its cause.
    const broken = statePath();
    writeFileSync(broken, '{"endpoint_id": 7');
    assert.throws(
      () => c.follow(GENERATED, { state: broken }),
      (error) => error instanceof ow.ConfigurationError && /state file .* is not valid/.test(error.message) && error.cause instanceof Error,
    );
    assert.throws(
      () => c.follow(GENERATED, { state: join(broken, 'state.json') }),
      (error) => error.message.startsWith('cannot read the state file') && /not a directory/i.test(error.cause?.message),
    );
    const blocked = statePath();
    mkdirSync(blocked.replace(/\.json$/, '.tmp')); // where the state file is written before its rename
    await assert.rejects(
      c.follow(GENERATED, { intervalMs: FAST, state: blocked }).next(),
      (error) =>
        error instanceof ow.ConfigurationError &&
        error.message.startsWith('cannot write the state file') &&
        /is a directory/i.test(error.cause?.message),
    );
    assert.throws(() => c.follow(GENERATED, { intervalMs: 0 }), ow.ConfigurationError);

    const deleted = await c.listEvents(GENERATED, { types: 'video.deleted' });
    const onlyDeleted = c.follow(GENERATED, { intervalMs: FAST, since: at(0), types: 'video.deleted' });
    for (const expected of deleted) assert.equal((await onlyDeleted.next()).value.id, expected.id);
    await assert.rejects(c.follow('650000000000000000000999', { intervalMs: FAST }).next(), ow.NotFoundError);
  } finally {
    await mock.stop();
  }
});

test('an AbortSignal ends a follow mid-poll: connection closed, state intact', async () => {
  const mock = await startMock('--events', '20');
  try {
    const c = client(mock);
    const state = statePath();
    const baseline = new AbortController();
    const first = c.follow(GENERATED, { intervalMs: FAST, state, signal: baseline.signal }).next();
    while (!existsSync(state)) await new Promise((resolve) => setTimeout(resolve, 10));
    baseline.abort();
    await assert.rejects(first, (e) => e.name === 'AbortError');
    for (let round = 0; round < 5; round++) {
      // Repeated: the abort lands in a poll, in the wait between polls, or at the start.
      const controller = new AbortController();
      const events = c.follow(GENERATED, { intervalMs: FAST, state, signal: controller.signal });
      const pending = events.next();
      setTimeout(() => controller.abort(), 20 + 30 * round);
      await assert.rejects(pending, (e) => e.name === 'AbortError');
      assert.equal(seen(state).length, 20, 'the baseline, intact');
      assert.deepEqual(await events.next(), { done: true, value: undefined }, 'the iterator has ended');
    }
    const before = (await mock.requests()).length;
    await mock.script([{ delay_ms: 10_000 }]); // the next poll hangs
    const controller = new AbortController();
    const pending = c.follow(GENERATED, { intervalMs: FAST, state, signal: controller.signal }).next();
    await requestsReach(mock, before + 1);
    const hanging = (await mock.requests()).at(-1).connection;
    const started = performance.now();
    controller.abort();
    await assert.rejects(pending, (e) => e.name === 'AbortError');
    assert.ok(performance.now() - started < 1000, 'aborting returns at once');
    const deadline = Date.now() + 5000;
    while (!(await mock.connections()).some((conn) => conn.id === hanging && conn.closed)) {
      assert.ok(Date.now() < deadline, "the hanging poll's connection stayed open");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await mock.reset();
    const arrived = await append(mock);
    assert.equal((await c.follow(GENERATED, { intervalMs: FAST, state }).next()).value.id, arrived, 'nothing lost');
  } finally {
    await mock.stop();
  }
});

test('waitForEvent finds a backfilled or a new event, with where', async () => {
  const mock = await startMock('--events', '20');
  try {
    const c = client(mock);
    const deleted = await c.listEvents(GENERATED, { types: ['video.deleted'] });
    const found = await c.waitForEvent(GENERATED, { type: 'video.deleted', since: at(0), intervalMs: FAST });
    assert.equal(found.id, deleted[0].id);
    const asked = [];
    const second = await c.waitForEvent(GENERATED, {
      type: 'video.deleted',
      since: at(0),
      intervalMs: FAST,
      where: async (event) => {
        asked.push(event.id);
        return event.id === deleted[1].id;
      },
    });
    assert.equal(second.id, deleted[1].id);
    assert.deepEqual(asked, [deleted[0].id, deleted[1].id]);

    // The type of generated event 20 (the next one appended), from a mock that already has it.
    const peek = await startMock('--events', '21');
    const nextType = (await client(peek).listEvents(GENERATED)).at(-1).type;
    await peek.stop();
    const before = (await mock.requests()).length;
    const waiting = c.waitForEvent(GENERATED, { type: nextType, intervalMs: FAST, timeoutMs: 10_000 });
    await requestsReach(mock, before + 1); // its first poll: what exists is not new
    const added = await append(mock);
    assert.equal((await waiting).id, added);
    const delivered = await c.waitForEvent(GENERATED, {
      type: 'video.process_succeeded',
      since: at(0),
      delivered: true,
      intervalMs: FAST,
    });
    assert.equal(ow.delivered(delivered), true);
  } finally {
    await mock.stop();
  }
});

test('waitForEvent times out, propagates where errors and aborts', async () => {
  const mock = await startMock('--events', '20');
  try {
    const c = client(mock);
    const started = performance.now();
    await assert.rejects(
      c.waitForEvent(GENERATED, { type: 'video.deleted', timeoutMs: 300, intervalMs: FAST }),
      (e) => e instanceof ow.APITimeoutError && /no matching event within/.test(e.message),
    );
    assert.ok(performance.now() - started >= 300);
    const where = (event) => {
      throw new RangeError(event.id);
    };
    await assert.rejects(c.waitForEvent(GENERATED, { type: 'video.deleted', since: at(0), where }), RangeError);
    await assert.rejects(c.waitForEvent(GENERATED, { type: 'video.deleted', timeoutMs: -1 }), ow.ConfigurationError);
    await assert.rejects(c.waitForEvent(GENERATED, {}), TypeError);
    const pending = c.waitForEvent(GENERATED, { type: 'video.deleted', signal: AbortSignal.timeout(100) });
    await assert.rejects(pending, (e) => e.name === 'TimeoutError');
  } finally {
    await mock.stop();
  }
});
