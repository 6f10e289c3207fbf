// `make bench`, Node side. Prints one JSON row per (workload, peer) on stdout:
// W1 (list 10,000 events), W2 (1,000 gets at concurrency 32), W3 (parse 10,000 detail bodies
// one at a time). Ours and the peer alternate within each round: warm-up, then ROUNDS timed
// rounds; the median is reported.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client, parseEvent } = require('../../bindings/node/index.js');

const ROUNDS = 7;
const WARMUP = 2;
const ENDPOINT = '650000000000000000000001';
const KEY = 'omega-mock-key';
const HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const GETS = 1_000;
const CONCURRENCY = 32;

const [url] = process.argv.slice(2);
const listUrl = `${url}/client/webhooks/${ENDPOINT}`;
const client = new Client({ apiKey: KEY, baseUrl: url });

async function interleave(contenders) {
  const times = contenders.map(() => []);
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const order = contenders.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const started = performance.now();
      await contenders[i]();
      if (round >= WARMUP) times[i].push(performance.now() - started);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

function row(workload, ours, oursMs, peer, peerMs) {
  const r = (x) => Math.round(x * 1000) / 1000;
  console.log(JSON.stringify({ workload, language: 'node', ours, ours_ms: r(oursMs), peer, peer_ms: r(peerMs), speedup: r(peerMs / oursMs) }));
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
[o, p] = await interleave([() => texts.map(parseEvent), () => texts.map((t) => JSON.parse(t))]);
row('W3', 'parseEvent', o, 'JSON.parse', p);
