// `make bench`, Node side. Prints one JSON row per (workload, peer) on stdout:
// W1 (list 10,000 events; and the peer against itself, the noise floor), W2 (1,000 gets at concurrency 32), W3 (parse 10,000 detail bodies
// one at a time: against bare JSON.parse, then against JSON.parse + the published schema),
// W5 (W1 served gzip-compressed), W6 (triage: the failed deliveries of a 2,000-event
// endpoint, details 8 at a time), W8 (the delivery stats of the 10,000-event endpoint: the same
// reads, added up per day, type and failure cause; 3 rounds). Ours and the peer alternate within each round:
// warm-up, then ROUNDS timed rounds; the median and the worst round's speedup are reported.
import { createRequire } from 'node:module';
import { compile } from '../../tests/schemas/ajv.mjs';

const require = createRequire(import.meta.url);
const { Client, parseEvent } = require('../../bindings/node/index.js');

const ROUNDS = 7;
const WARMUP = 2;
const ENDPOINT = '650000000000000000000001';
const KEY = 'omega-mock-key';
const HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const GETS = 1_000;
const CONCURRENCY = 32;

const TRIAGE_CONCURRENCY = 8;

const [url, urlGzip, url2k, urlSlow] = process.argv.slice(2);
const listUrl = `${url}/client/webhooks/${ENDPOINT}`;
const client = new Client({ apiKey: KEY, baseUrl: url });

async function interleave(contenders, rounds = ROUNDS, warmup = WARMUP) {
  const times = contenders.map(() => []);
  for (let round = 0; round < warmup + rounds; round++) {
    const order = contenders.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const started = performance.now();
      await contenders[i]();
      if (round >= warmup) times[i].push(performance.now() - started);
    }
  }
  return times;
}

const median = (t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];

/** One result from the contenders' round times: medians, their speedup, and the worst round's. */
function row(workload, ours, oursMs, peer, peerMs, extra = {}) {
  const r = (x) => Math.round(x * 1000) / 1000;
  const [o, p] = [median(oursMs), median(peerMs)];
  const worst = Math.min(...oursMs.map((t, i) => peerMs[i] / t));
  console.log(JSON.stringify({
    workload, language: 'node', ours, ours_ms: r(o), peer, peer_ms: r(p), speedup: r(p / o), worst_round_speedup: r(worst),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, r(v)])),
  }));
}

async function fetchJson(target) {
  const response = await fetch(target, { headers: HEADERS });
  if (!response.ok) throw new Error(`${response.status}`);
  return JSON.parse(await response.text());
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

// W1
const ours1 = async () => (await client.listEvents(ENDPOINT)).length;
const peer1 = async () => (await fetchJson(listUrl)).length;
if ((await ours1()) !== 10_000 || (await peer1()) !== 10_000) throw new Error('expected 10,000 events');
let [o, p] = await interleave([ours1, peer1]);
row('W1', 'Client.listEvents', o, 'fetch + JSON.parse', p);

// W1's noise floor: the peer against itself, rounds interleaved the same way.
const [first, again] = await interleave([peer1, peer1]);
row('W1', 'fetch + JSON.parse', again, 'the same, timed again (noise floor)', first);

// W1-slow: the same list sent at 100 MB/s; beside it, the transfer alone (read, not parsed).
const slow = new Client({ apiKey: KEY, baseUrl: urlSlow });
const slowUrl = `${urlSlow}/client/webhooks/${ENDPOINT}`;
const transfer = async () => (await (await fetch(slowUrl, { headers: HEADERS })).text()).length;
let t;
[o, p, t] = await interleave([
  async () => (await slow.listEvents(ENDPOINT)).length,
  async () => (await fetchJson(slowUrl)).length,
  transfer,
]);
row('W1-slow', 'Client.listEvents', o, 'fetch + JSON.parse', p, { transfer_ms: median(t) });

// W2
const ids = (await client.listEvents(ENDPOINT)).slice(0, GETS).map((e) => e.id);
[o, p] = await interleave([
  () => pool(ids, CONCURRENCY, (id) => client.getEvent(ENDPOINT, id)),
  () => pool(ids, CONCURRENCY, (id) => fetchJson(`${listUrl}/events/${id}`)),
]);
row('W2', 'Client.getEvent', o, 'fetch + JSON.parse', p);

// W3
const bodies = [];
for (const id of ids) bodies.push(Buffer.from(await (await fetch(`${listUrl}/events/${id}`, { headers: HEADERS })).arrayBuffer()));
while (bodies.length < 10_000) bodies.push(...bodies.slice(0, 10_000 - bodies.length));
const texts = bodies.map((b) => b.toString('utf8'));
// The validating peer: JSON.parse, then the published schema (ajv, first error only).
const validate = compile('event', { allErrors: false });
const validated = (t) => {
  const event = JSON.parse(t);
  if (!validate(event)) throw new Error(JSON.stringify(validate.errors));
  return event;
};
[o, p] = await interleave([() => texts.map(parseEvent), () => texts.map((t) => JSON.parse(t))]);
row('W3', 'parseEvent', o, 'JSON.parse', p);
[o, p] = await interleave([() => texts.map(parseEvent), () => texts.map(validated)]);
row('W3', 'parseEvent', o, 'JSON.parse + ajv (event.schema.json)', p);

// W5: W1 against a mock that gzips the list (fetch asks for it and decompresses natively).
const gzipClient = new Client({ apiKey: KEY, baseUrl: urlGzip });
const gzipUrl = `${urlGzip}/client/webhooks/${ENDPOINT}`;
if ((await fetch(gzipUrl, { headers: HEADERS })).headers.get('content-encoding') !== 'gzip') throw new Error('not gzip');
const ours5 = async () => (await gzipClient.listEvents(ENDPOINT)).length;
const peer5 = async () => (await fetchJson(gzipUrl)).length;
if ((await ours5()) !== 10_000 || (await peer5()) !== 10_000) throw new Error('expected 10,000 events');
[o, p] = await interleave([ours5, peer5]);
row('W5', 'Client.listEvents', o, 'fetch + JSON.parse', p);

// W6: triage, as a user would script it with fetch.
const triageClient = new Client({ apiKey: KEY, baseUrl: url2k });
const triageUrl = `${url2k}/client/webhooks/${ENDPOINT}`;
const ours6 = async () => (await triageClient.failedDeliveries(ENDPOINT, { concurrency: TRIAGE_CONCURRENCY })).map((e) => e.id);
const peer6 = async () => {
  const listed = await fetchJson(triageUrl);
  const full = await pool(listed, TRIAGE_CONCURRENCY, (e) => fetchJson(`${triageUrl}/events/${e.id}`));
  return full.filter((e) => !(e.response && e.response.status_code >= 200 && e.response.status_code < 300)).map((e) => e.id);
};
const [failedOurs, failedPeer] = [await ours6(), await peer6()];
if (failedOurs.length === 0 || failedOurs.join() !== failedPeer.join()) throw new Error('different failed deliveries');
[o, p] = await interleave([ours6, peer6]);
row('W6', 'Client.failedDeliveries', o, 'fetch + JSON.parse', p);

// W8: delivery stats of the 10,000-event endpoint, as a user would script them with fetch:
// every detail (8 at a time), then Maps per day, per type and per (status, first line of the
// body with the numbers masked).
const ours8 = async () => {
  const { totals } = await client.deliveryStats(ENDPOINT, { concurrency: TRIAGE_CONCURRENCY });
  return `${totals.events}/${totals.failed}/${totals.unknown}`;
};
const peer8 = async () => {
  const listed = await fetchJson(listUrl);
  const full = await pool(listed, TRIAGE_CONCURRENCY, (e) => fetchJson(`${listUrl}/events/${e.id}`));
  const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  const [outcome, days, types, groups] = [new Map(), new Map(), new Map(), new Map()];
  for (const e of full) {
    const answer = e.response;
    const kind = !answer ? 'unknown' : answer.status_code >= 200 && answer.status_code < 300 ? 'delivered' : 'failed';
    count(outcome, kind);
    count(days, `${Math.floor(e.created / 86_400)} ${kind}`);
    count(types, `${e.type} ${kind}`);
    if (kind !== 'delivered') {
      const first = answer ? (answer.body.split('\n').find((l) => l.trim()) ?? '') : '';
      count(groups, `${answer ? answer.status_code : '-'} ${first.replace(/\w*\d\w*/g, '#')}`);
    }
  }
  return `${full.length}/${outcome.get('failed') ?? 0}/${outcome.get('unknown') ?? 0}`;
};
if ((await ours8()) !== (await peer8())) throw new Error('different totals');
[o, p] = await interleave([ours8, peer8], 3, 1);
row('W8', 'Client.deliveryStats', o, 'fetch + Map', p);
