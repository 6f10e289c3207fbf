// Fuzzing over mutated fixtures, shared with Python (tests/fuzz/mutate.py): 20,000 inputs, or
// OMEGA_FUZZ_INPUTS (`make fuzz`). parseEvent throws only WebhookPayloadError, every accepted
// event parses again from its own JSON.stringify() to an equal value, and for every input
// Node's outcome equals Python's (the same object as to_dict(), or the same error and path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ow from '../index.mjs';
import { ROOT } from './helpers.mjs';

const COUNT = Number(process.env.OMEGA_FUZZ_INPUTS ?? 20_000);
const PYTHON = process.env.OMEGA_PYTHON ?? join(ROOT, '.venv', 'bin', 'python');

test(`${COUNT} mutated fixtures: only WebhookPayloadError, round trips, and Python agrees`, () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} is missing: run \`make test-python\` first (it installs the Python package)`);
  const corpus = execFileSync(PYTHON, [join(ROOT, 'tests', 'fuzz', 'corpus.py'), String(COUNT)], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  let accepted = 0;
  let refused = 0;
  for (const line of corpus.trim().split('\n')) {
    const python = JSON.parse(line);
    const body = Buffer.from(python.input, 'base64');
    let event;
    try {
      event = ow.parseEvent(body);
    } catch (error) {
      assert.ok(error instanceof ow.WebhookPayloadError, `${error} for ${body}`);
      assert.equal(python.error, 'WebhookPayloadError', `Python accepted what Node refused: ${body}`);
      assert.equal(error.path, python.path, `${body}`);
      refused++;
      continue;
    }
    accepted++;
    assert.deepEqual(ow.parseEvent(JSON.stringify(event)), event, `${body}`);
    assert.ok(python.event, `Python refused (${python.path}) what Node accepted: ${body}`);
    assert.deepEqual(event, python.event, `${body}`);
  }
  assert.equal(accepted + refused, COUNT);
  assert.ok(accepted > COUNT / 20 && refused > COUNT / 20, `${accepted} / ${refused}`);
});
