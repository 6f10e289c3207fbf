// A receiver worker process for the dedupe tests (driven by bindings/python/tests/test_dedupe.py):
// `new Receiver({ dedupe: SPEC, leaseMs })` served by node:http on a free loopback port (printed
// first: `listening on http://…/`). Its handler appends the event id to LOG, one line per run.
// Usage: node dedupe-worker.mjs SPEC LEASE_SECONDS LOG
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Receiver } from '../../index.js';

const [spec, lease, log] = process.argv.slice(2);
const receiver = new Receiver({ dedupe: spec, leaseMs: Number(lease) * 1000 });
receiver.onAny(async (event) => {
  await new Promise((resolve) => setTimeout(resolve, 5)); // a handler's work: deliveries overlap
  // One short write in append mode: whole lines, whatever the other processes write.
  appendFileSync(log, `${event.id}\n`);
});
const server = createServer(receiver.node).listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
