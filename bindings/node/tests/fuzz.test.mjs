// Fuzzing over mutated fixtures, shared with Python (tests/fuzz/mutate.py): 20,000 inputs, or
// OMEGA_FUZZ_INPUTS (`make fuzz`). parseEvent throws only WebhookPayloadError, every accepted
// event parses again from its own JSON.stringify() to an equal value, and for every input
// Node's outcome equals Python's (the same object as to_dict(), or the same error and path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ow from '../index.mjs';
import { FUZZ_INPUTS as COUNT, fuzzCorpus } from './helpers.mjs';

test(`${COUNT} mutated fixtures: only WebhookPayloadError, round trips, and Python agrees`, () => {
  let accepted = 0;
  let refused = 0;
  for (const python of fuzzCorpus()) {
    const { body } = python;
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
