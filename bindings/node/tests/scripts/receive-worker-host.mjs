// A host process for the receiver's worker-safety test: 3 workers each serve `receiver.node`
// (verifying with the mock at MOCK_URL, deduping in one SQLite file, so claims are in flight too)
// on a loopback port and post 200 deliveries to it at once; each worker is terminated from here
// while its deliveries are in flight: STEP_MS x (worker + 1) ms after node:http has read all 200
// requests. Then the main thread receives one delivery, and one new event through the same SQLite
// store, and prints `ok`. Any crash of this process (a signal, an abort) is what the test catches.
//
// Why not while the requests are still being read: Node's own HTTP parser aborts the process
// when a read reaches it after `terminate()` has stopped the worker's JavaScript (its callbacks
// call `ToLocalChecked()` on the parser object's `Get`, empty once execution is terminating:
// src/node_http_parser.cc, Node 20.20), with or without this SDK; seen once in ~200 runs here.
// Usage: node receive-worker-host.mjs MOCK_URL [STEP_MS]
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Receiver } from '../../index.js';

const [baseUrl, stepMs = '5'] = process.argv.slice(2);
const entry = fileURLToPath(new URL('../../index.js', import.meta.url));
const store = mkdtempSync(join(tmpdir(), 'omega-workers-'));
process.on('exit', () => rmSync(store, { recursive: true, force: true }));
const dedupe = `sqlite://${join(store, 'seen.db')}`;
const body = readFileSync(fileURLToPath(new URL('../../../../fixtures/events/wire/details-example.json', import.meta.url)), 'utf8');

const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:http');
const { Client, Receiver } = require(workerData.entry);
const receiver = new Receiver({
  verify: new Client({ apiKey: 'omega-mock-key', baseUrl: workerData.baseUrl }),
  dedupe: workerData.dedupe,
});
receiver.onAny(async () => new Promise((resolve) => setTimeout(resolve, 1)));
let read = 0;
const server = createServer((req, res) => {
  receiver.node(req, res);
  // Every request read by node:http: the deliveries are in the receiver's hands.
  req.once('end', () => ++read === 200 && parentPort.postMessage('started'));
}).listen(0, '127.0.0.1', () => {
  const url = 'http://127.0.0.1:' + server.address().port + '/';
  for (let i = 0; i < 200; i++) {
    fetch(url, { method: 'POST', body: workerData.body, headers: { 'content-type': 'application/json' } }).catch(() => {});
  }
});
`;

const workers = [0, 1, 2].map((index) => {
  const worker = new Worker(workerCode, { eval: true, workerData: { entry, baseUrl, body, dedupe } });
  const exited = new Promise((resolve, reject) => {
    worker.once('exit', resolve);
    worker.once('error', reject);
  });
  const started = new Promise((resolve) => worker.once('message', resolve));
  return { worker, exited, started, index };
});
await Promise.all(
  workers.map(async ({ worker, exited, started, index }) => {
    await started;
    await new Promise((resolve) => setTimeout(resolve, Number(stepMs) * (index + 1)));
    await worker.terminate();
    await exited;
  }),
);
const receiver = new Receiver({ verify: new Client({ apiKey: 'omega-mock-key', baseUrl }) }).onAny(() => {});
const answer = await receiver.handle(body);
if (answer.status !== 200) throw new Error(`main thread got ${answer.status} ${answer.body}`);
const once = new Receiver({ dedupe }).onAny(() => {});
const fresh = await once.handle(JSON.stringify({ ...JSON.parse(body), id: `after-${process.pid}` }));
if (fresh.outcome !== 'handled') throw new Error(`the store after the workers: ${fresh.status} ${fresh.body}`);
console.log('ok');
