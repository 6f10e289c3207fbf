// The generated fast path (normalize.js, what parseEvent tries first) against the addon (the
// Rust decoder): wherever the fast path answers, the addon accepts the same body and gives
// the same event — the same values (-0 told from 0), the same keys in the same order — on
// every fixture, on the edge cases the fast path must leave to the addon, and on the 20,000
// mutated fixtures of the fuzz tests, each as a string and as a Buffer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUZZ_INPUTS, ROOT, fuzzCorpus, readJson } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { normalizeEvent } = require('../normalize.js');
const { native } = require('../addon.js');

const WIRE = join(ROOT, 'fixtures', 'events', 'wire');

/** The addon's event for `body`, or the error it throws. */
function addon(body) {
  try {
    return JSON.parse(native.parseEvent(body));
  } catch (error) {
    return error;
  }
}

/** Whether the fast path answered for `body`; where it did, asserts the addon agrees. */
function agrees(body, label) {
  const fast = normalizeEvent(body);
  if (fast === undefined) return false;
  const rust = addon(body);
  assert.ok(!(rust instanceof Error), `the fast path took what the addon refuses (${rust.message}): ${label}`);
  assert.deepStrictEqual(fast, rust, label);
  assert.equal(JSON.stringify(fast), JSON.stringify(rust), `key order: ${label}`);
  return true;
}

/** Both forms of a body: as text and as bytes. */
const forms = (body) => [body.toString('utf8'), Buffer.from(body)];

test('every fixture: the fast path agrees with the addon, and takes the API’s usual bodies', () => {
  const taken = [];
  for (const file of readdirSync(WIRE).sort()) {
    const body = readFileSync(join(WIRE, file));
    const answered = forms(body).map((form) => agrees(form, file));
    assert.equal(answered[0], answered[1], `string and Buffer alike: ${file}`);
    if (answered[0]) taken.push(file);
  }
  for (const usual of ['details-example.json', 'delivery-failed.json', 'ocid.json', 'zero-time.json', 'unknown-fields.json']) {
    assert.ok(taken.includes(usual), `the fast path left ${usual} to the addon`);
  }
  const invalid = readJson('fixtures/invalid/cases.json').filter((c) => c.parse === 'event');
  for (const c of invalid) {
    assert.equal(normalizeEvent(readFileSync(join(ROOT, 'fixtures', 'invalid', c.file))), undefined, c.file);
  }
});

test('edge cases: what the fast path takes agrees, and what it cannot tell is left to the addon', () => {
  const example = readJson('fixtures/events/wire/details-example.json');
  const video = example.data.video;
  const body = (change) => JSON.stringify(change(structuredClone(example)));
  const taken = {
    'an integral float for an integer': body((e) => e).replace('1661971592', '1661971592.0'),
    'an exponent for an integer': body((e) => e).replace('1661971592', '16619715.92e2'),
    'created -0': body((e) => e).replace('1661971592', '-0'),
    'unknown fields, nested, out of order': body((e) => ({ zeta: { b: [1, { d: 2, c: 'x:y' }], a: null }, alpha: true, ...e })),
    'unknown fields in data': body((e) => ({ ...e, data: { trace: 'a:b', video } })),
    'data empty': body((e) => ({ ...e, data: {} })),
    'meta in any order': body((e) => ({ ...e, data: { video: { ...video, meta: { z: '1', a: 'b:c' } } } })),
    'the list spelling ocid': body(({ coid, ...e }) => ({ ...e, ocid: coid })),
    'a leap day': body((e) => ({ ...e, created_at: '2024-02-29T23:59:59.123456789Z' })),
    'a float -0.0': body((e) => ({ ...e, data: { video: { ...video, thumbnail_timestamp_pct: 0.25 } } })).replace('0.25', '-0.0'),
    'whitespace around': `\n\t ${body((e) => e)} \r\n`,
  };
  for (const [label, text] of Object.entries(taken)) {
    assert.ok(agrees(text, label), `the fast path left "${label}" to the addon`);
  }
  const left = {
    'a duplicate key': body((e) => e).replace('"api_version":"v1"', '"api_version":"v1","api_version":"v2"'),
    'a duplicate key hidden by a \\u escape': body((e) => ({ ...e, note: 'x\\u003ay' })).replace('"api_version":"v1"', '"api_version":"v1","api_version":"v2"'),
    'a lone surrogate escape': body((e) => ({ ...e, title: 'x' })).replace('"title":"x"', '"title":"\\ud800"'),
    'a lone surrogate in the text': body((e) => ({ ...e, note: 'x\ud800y' })),
    'coid and ocid': body((e) => ({ ...e, ocid: e.coid })),
    'a timestamp with an offset': body((e) => ({ ...e, created_at: '2022-10-01T02:00:00+02:00' })),
    'February 29 of 2023': body((e) => ({ ...e, created_at: '2023-02-29T00:00:00Z' })),
    'the year 0000': body((e) => ({ ...e, created_at: '0000-01-01T00:00:00Z' })),
    'a bare video': body((e) => ({ ...e, data: video })),
    'video null beside an id': body((e) => ({ ...e, data: { video: null, id: 'x' } })),
    'a non-ASCII unknown key': body((e) => ({ ...e, 'clé': 1 })),
    'an unknown __proto__ key': body((e) => e).replace('{', '{"__proto__":{"polluted":true},'),
    'a number out of range': body((e) => e).replace('"api_version"', '"big":1e400,"api_version"'),
    '-0 in an unknown field': body((e) => e).replace('"api_version"', '"zero":-0,"api_version"'),
    'an integer beyond 2^53': body((e) => e).replace('1661971592', '9007199254740993'),
    'a fraction for an integer': body((e) => e).replace('1661971592', '1661971592.5'),
    'video null': body((e) => ({ ...e, data: { video: null } })),
    'meta null': body((e) => ({ ...e, data: { video: { ...video, meta: null } } })),
    'an unknown field nested 70 deep': body((e) => ({ ...e, deep: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) })),
    'a byte-order mark': `\ufeff${body((e) => e)}`,
  };
  for (const [label, text] of Object.entries(left)) {
    assert.equal(normalizeEvent(text), undefined, `the fast path answered "${label}"`);
    assert.equal(normalizeEvent(Buffer.from(text)), undefined, `the fast path answered "${label}" (bytes)`);
  }
  assert.equal(normalizeEvent(Buffer.from([0x7b, 0xff, 0x7d])), undefined, 'invalid UTF-8');
  assert.equal(normalizeEvent(42), undefined, 'not a body');
  assert.equal({}.polluted, undefined);
});

test(`${FUZZ_INPUTS} mutated fixtures: wherever the fast path answers, the addon agrees`, () => {
  let answered = 0;
  let accepted = 0;
  for (const { body, event } of fuzzCorpus()) {
    // Each form on its own: invalid UTF-8 is refused as bytes but is valid text once decoded.
    const [text] = forms(body).map((form) => agrees(form, `${body}`));
    if (text) answered++;
    if (event) accepted++;
  }
  // The fast path is the usual path: it answers for most bodies the decoder accepts.
  assert.ok(answered > accepted / 2, `the fast path answered ${answered} of the ${accepted} accepted bodies`);
});
