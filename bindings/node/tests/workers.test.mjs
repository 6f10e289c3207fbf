// Host safety: workers that end with calls in flight never crash or hang the process. Each
// case runs in 20 fresh child processes (3 workers each, 150 calls in flight per worker), so a
// crash that happens one run in five cannot pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startMock } from './helpers.mjs';

const HOST = fileURLToPath(new URL('./scripts/worker-host.mjs', import.meta.url));
const RUNS = 20;
let mock;
// Lists of 6,000 events (~1.4 MB) are read in runs on the decode's kept helper threads
// (parallel_decode.rs, decode_pool.rs).
let large;
// The same lists sent at 20 MB/s: handed to JavaScript in pieces while they arrive (list_pieces.rs).
let slow;

before(async () => {
  mock = await startMock('--events', '300');
  large = await startMock('--events', '6000');
  slow = await startMock('--events', '6000', '--rate', '20');
});
after(() => {
  mock.stop();
  large.stop();
  slow.stop();
});

/** Runs the worker host RUNS times with `args`; the runs that did not print `ok`. */
function failedRuns(args) {
  const failures = [];
  for (let run = 0; run < RUNS; run++) {
    const result = spawnSync(process.execPath, [HOST, ...args], { encoding: 'utf8', timeout: 30_000 });
    if (result.status !== 0 || result.stdout.trim() !== 'ok') {
      failures.push(`run ${run}: status ${result.status} signal ${result.signal} ${result.error ?? ''}\n${result.stderr.slice(-800)}`);
    }
  }
  return failures;
}

for (const mode of ['terminate', 'exit', 'natural']) {
  test(`a worker ended by ${mode} with 150 calls in flight: ${RUNS} processes exit cleanly`, () => {
    const failures = failedRuns([mode, mock.url]);
    assert.deepEqual(failures, [], `${failures.length} of ${RUNS} runs failed:\n${failures.join('\n')}`);
  });
}

for (const mode of ['terminate', 'exit']) {
  test(`a worker ended by ${mode} with large lists being read in runs: ${RUNS} processes exit cleanly`, () => {
    const failures = failedRuns([mode, large.url, '3', '30', '6']);
    assert.deepEqual(failures, [], `${failures.length} of ${RUNS} runs failed:\n${failures.join('\n')}`);
  });
}

for (const mode of ['terminate', 'exit']) {
  test(`a worker ended by ${mode} with lists arriving in pieces: ${RUNS} processes exit cleanly`, () => {
    const failures = failedRuns([mode, slow.url, '3', '30', '20']);
    assert.deepEqual(failures, [], `${failures.length} of ${RUNS} runs failed:\n${failures.join('\n')}`);
  });
}
