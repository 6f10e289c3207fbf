// A host process for the worker-safety test: runs ROUNDS workers that each start CALLS calls
// against the mock and then end while the calls are in flight — terminated from here
// (`terminate`), by `process.exit()` inside the worker (`exit`), or by running out of work
// (`natural`); in the first two, a follow and a wait poll too. With STEP_MS, the end comes
// STEP_MS x (round + 1) ms after the calls start rather than at once, so that it finds them at
// different stages (large lists being read, say). Then it makes a call on the main thread and
// prints `ok`. Any crash of this process (a signal, an abort) is what the test catches.
// Usage: node worker-host.mjs MODE MOCK_URL [ROUNDS] [CALLS] [STEP_MS]
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Client } from '../../index.js';

const [mode, baseUrl, rounds = '3', calls = '150', stepMs = '0'] = process.argv.slice(2);
const entry = fileURLToPath(new URL('../../index.js', import.meta.url));
const GENERATED = '650000000000000000000001';

const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const { Client } = require(workerData.entry);
const client = new Client({ apiKey: 'omega-mock-key', baseUrl: workerData.baseUrl });
const controller = new AbortController();
for (let i = 0; i < workerData.calls; i++) {
  const call = i % 3 === 0
    ? client.listEvents(workerData.endpoint, { signal: controller.signal })
    : client.getEvent(workerData.endpoint, 'x' + i);
  call.catch(() => {});
}
if (workerData.mode !== 'natural') {
  // Pollers that never end on their own: a follow and a wait, both in flight at the end.
  client.follow(workerData.endpoint, { intervalMs: 5 }).next().catch(() => {});
  client.waitForEvent(workerData.endpoint, { type: 'video.deleted', intervalMs: 5, timeoutMs: 600000 }).catch(() => {});
}
if (workerData.mode === 'exit') {
  const exit = () => process.exit(0);
  if (workerData.delayMs > 0) setTimeout(exit, workerData.delayMs);
  else setImmediate(exit);
}
if (workerData.mode === 'terminate') parentPort.postMessage('started');
`;

for (let round = 0; round < Number(rounds); round++) {
  const worker = new Worker(workerCode, {
    eval: true,
    workerData: { entry, baseUrl, mode, calls: Number(calls), endpoint: GENERATED, delayMs: Number(stepMs) * (round + 1) },
  });
  const exited = new Promise((resolve, reject) => {
    worker.once('exit', resolve);
    worker.once('error', reject);
  });
  if (mode === 'terminate') {
    await new Promise((resolve) => worker.once('message', resolve));
    await new Promise((resolve) => setTimeout(resolve, Number(stepMs) * (round + 1)));
    await worker.terminate();
  }
  await exited;
}
const events = await new Client({ apiKey: 'omega-mock-key', baseUrl }).listEvents('6336cd2b5790c27875f70d96');
if (events.length !== 2) throw new Error(`main thread got ${events.length} events`);
console.log('ok');
