// Each event handled once from Node (`new Receiver({ dedupe })`): a claim holds while a handler
// runs (409), a handled event is a duplicate, a failed one is handled again, and the options a
// new user gets wrong are ConfigurationErrors that never show a password. The cross-process
// and cross-language runs (SQLite, Redis, kills, outages) are in
// bindings/python/tests/test_dedupe.py, which drives scripts/dedupe-worker.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as ow from '../index.mjs';
import { tempDir } from './helpers.mjs';

const stores = tempDir('omega-dedupe-');

const body = (id) => ow.testing.eventBody('video.deleted', { set: { id }, seed: 1 });

test('a claim holds while its handler runs; handled is a duplicate, failed is handled again', async () => {
  for (const dedupe of ['memory', `sqlite://${join(stores, 'seen.db')}`]) {
    const receiver = new ow.Receiver({ dedupe, leaseMs: 30_000, rememberMs: 3_600_000 });
    let open;
    const gate = new Promise((resolve) => (open = resolve));
    const ran = [];
    receiver.on('video.deleted', async (event) => {
      ran.push(event.id);
      if (event.id === 'n1') await gate;
      if (event.id === 'n2' && ran.filter((id) => id === 'n2').length === 1) throw new TypeError('first try fails');
    });
    const first = receiver.handle(body('n1'));
    while (!ran.includes('n1')) await new Promise((resolve) => setImmediate(resolve));
    const second = await receiver.handle(body('n1'));
    assert.deepEqual([second.status, second.outcome, second.body], [409, 'in_progress', 'in progress n1: handled by another worker'], dedupe);
    assert.equal(second.event.id, 'n1');
    open();
    assert.equal((await first).outcome, 'handled');
    const third = await receiver.handle(body('n1'));
    assert.deepEqual([third.status, third.body], [200, 'duplicate n1: already handled']);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await receiver.handle(body('n2'))).outcome);
    assert.deepEqual(outcomes, ['failed', 'handled', 'duplicate'], dedupe);
    assert.deepEqual(ran, ['n1', 'n2', 'n2']);
  }
});

test('sync handlers settle their claims too: a throw releases the event, a return marks it handled', async () => {
  for (const dedupe of ['memory', `sqlite://${join(stores, 'sync.db')}`]) {
    const receiver = new ow.Receiver({ dedupe });
    let calls = 0;
    receiver.onAny(() => {
      calls += 1;
      if (calls === 1) throw new RangeError('first try fails');
    });
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await receiver.handle(body('s1'))).outcome);
    assert.deepEqual([outcomes, calls], [['failed', 'handled', 'duplicate'], 2], dedupe);
    // A handler that changes its event settles the event it was given.
    const changing = new ow.Receiver({ dedupe }).onAny((event) => {
      event.id = 'changed';
      event.endpoint_id = 'elsewhere';
    });
    assert.deepEqual(
      [(await changing.handle(body('s2'))).outcome, (await changing.handle(body('s2'))).outcome],
      ['handled', 'duplicate'],
      dedupe,
    );
    // Another endpoint's event of the same id is another event.
    const other = ow.testing.eventBody('video.deleted', { set: { id: 's1', endpoint_id: '650000000000000000000009' }, seed: 1 });
    assert.equal((await receiver.handle(other)).outcome, 'handled', dedupe);
  }
});

test('bad dedupe options are ConfigurationErrors that never show a password', async () => {
  for (const dedupe of ['memroy', 'sqlite://', 'postgres://app:hunter2@db/seen', 'redis:/localhost']) {
    assert.throws(
      () => new ow.Receiver({ dedupe }),
      (error) =>
        error instanceof ow.ConfigurationError &&
        error.message.includes('"memory", "sqlite:///path/to/seen.db", "redis://host:port/db"') &&
        !error.message.includes('hunter2'),
    );
  }
  assert.throws(() => new ow.Receiver({ dedupe: 'sqlite:///proc/omega/seen.db' }), /cannot open the dedupe store sqlite:\/\/\/proc\/omega\/seen.db/);
  assert.throws(() => new ow.Receiver({ leaseMs: 5000 }), /set dedupe too/);
  assert.throws(() => new ow.Receiver({ dedupe: 'memory', leaseMs: 0 }), /leaseMs must be a positive number of milliseconds/);
  assert.throws(() => new ow.Receiver({ dedupe: 'memory', rememberMs: 400 * 86_400_000 }), /at most 365 days/);
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const receiver = new ow.Receiver({ dedupe: `redis://:hunter2@127.0.0.1:${port}/0` }).onAny(() => {
    throw new Error('never runs without dedupe');
  });
  const answer = await receiver.handle(body('s1'));
  assert.deepEqual([answer.status, answer.outcome, answer.body], [503, 'store_unavailable', 'dedupe store unavailable']);
  assert.ok(!JSON.stringify(answer).includes('hunter2'));
});
