// Delivery stats from Node: the Rust engine's JSON, equal to the CLI's `events stats --json`
// for the same window, and bad options refused before any request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as ow from '../index.mjs';
import { MOCK_KEY, cliBinary, startMock } from './helpers.mjs';

const GENERATED = '650000000000000000000001';
let week;
let small;

before(async () => {
  [week, small] = await Promise.all([startMock('--events', '2016'), startMock('--events', '20')]);
});
after(() => Promise.all([week.stop(), small.stop()]));

const cliStats = (mock, ...args) =>
  JSON.parse(
    execFileSync(cliBinary(), ['--base-url', mock.url, '--api-key', MOCK_KEY, 'events', 'stats', GENERATED, ...args, '--json'], {
      encoding: 'utf8',
    }),
  );

test('deliveryStats equals the CLI JSON and adds up', async () => {
  const client = new ow.Client({ apiKey: MOCK_KEY, baseUrl: week.url });
  const stats = await client.deliveryStats(GENERATED);
  assert.deepEqual(stats, cliStats(week));
  assert.equal(stats.totals.events, 2016);
  assert.equal(stats.buckets.reduce((n, b) => n + b.events, 0), 2016);
  assert.equal(stats.groups.reduce((n, g) => n + g.count, 0), stats.totals.failed + stats.totals.unknown);
  const outage = stats.groups.find((g) => g.status_code === 503);
  assert.equal(outage.cause, '# Service Temporarily Unavailable');
  const worst = stats.buckets.reduce((a, b) => (b.failure_rate > a.failure_rate ? b : a));
  assert.equal(new Date(worst.start * 1000).toISOString(), '2023-11-18T00:00:00.000Z');
});

test('filters and hourly buckets are the CLI ones (Date, RFC 3339)', async () => {
  const client = new ow.Client({ apiKey: MOCK_KEY, baseUrl: week.url });
  const stats = await client.deliveryStats(GENERATED, {
    since: new Date('2023-11-18T00:00:00Z'),
    until: '2023-11-18T05:59:59Z',
    types: ['video.deleted', 'video.uploaded'],
    by: 'hour',
  });
  const want = cliStats(week, '--since', '2023-11-18T00:00:00Z', '--until', '2023-11-18T05:59:59Z',
    '--type', 'video.deleted', '--type', 'video.uploaded', '--by', 'hour');
  assert.deepEqual(stats, want);
  assert.equal(stats.buckets.length, 6);
});

test('bad options are refused before any request; an unreadable event rejects', async () => {
  await small.reset();
  const client = new ow.Client({ apiKey: MOCK_KEY, baseUrl: small.url, maxRetries: 0 });
  await assert.rejects(client.deliveryStats(GENERATED, { by: 'week' }), (e) => e instanceof ow.ConfigurationError && /use hour or day/.test(e.message));
  await assert.rejects(client.deliveryStats(GENERATED, { concurrency: 0 }), ow.ConfigurationError);
  await assert.rejects(client.deliveryStats(GENERATED, { since: 'yesterday' }), ow.ConfigurationError);
  assert.deepEqual(await small.requests(), []);
  await small.script([{}, { status: 404 }]);
  await assert.rejects(client.deliveryStats(GENERATED), ow.NotFoundError);
  const aborted = new AbortController();
  const pending = client.deliveryStats(GENERATED, { signal: aborted.signal });
  aborted.abort(new Error('stop'));
  await assert.rejects(pending, /stop/);
});
