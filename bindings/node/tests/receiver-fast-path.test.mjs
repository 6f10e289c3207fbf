// The receiver's fast path (receiver-fast-path.js: the usual delivery read without crossing into
// the addon) against the addon's `NativeReceiver.read`: wherever the fast path answers, the
// addon reads the same delivery to the same event, replay flag and answer texts — on every
// fixture, under every shape of headers, content type, cap and endpoint filter, on events whose
// answer texts the addon rewrites, and on the 20,000 mutated fixtures of the fuzz tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUZZ_INPUTS, ROOT, fuzzCorpus, readJson } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { readFast, eachHeader } = require('../receiver-fast-path.js');
const { native } = require('../addon.js');

const WIRE = join(ROOT, 'fixtures', 'events', 'wire');
const EXAMPLE = readJson('fixtures/events/wire/details-example.json');

/** A receiver's two readers: the fast path (as `Receiver` calls it) and the addon's. */
function readers(options = {}) {
  const receiver = new native.NativeReceiver(options, undefined);
  const accepts = options.endpoints === undefined ? null : (id) => receiver.acceptsEndpoint(id);
  const lines = (headers) => {
    let text = '';
    eachHeader(headers, (name, value) => {
      text += `${name}: ${value}\n`;
    });
    return text;
  };
  return {
    fast: (body, headers) => readFast(body, headers, receiver.maxBodyBytes, accepts),
    addon: (body, headers) => {
      const read = receiver.read(body, lines(headers));
      return typeof read === 'string' ? JSON.parse(read) : read;
    },
  };
}

const plain = readers();

/** Whether the fast path read the delivery; where it did, asserts the addon reads it alike. */
function agrees({ fast, addon }, body, headers, label) {
  const read = fast(body, headers);
  if (read === undefined) return false;
  const rust = addon(body, headers);
  assert.ok(Array.isArray(rust), `the fast path read what the addon answers ${rust.status} (${rust.body}): ${label}`);
  assert.deepStrictEqual(read, rust, label);
  assert.equal(JSON.stringify(read), JSON.stringify(rust), `key order: ${label}`);
  return true;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

test('every fixture, as text and bytes: the fast path reads the usual deliveries as the addon does', () => {
  let taken = 0;
  for (const file of readdirSync(WIRE).sort()) {
    const body = readFileSync(join(WIRE, file));
    for (const form of [body, body.toString('utf8')]) {
      if (agrees(plain, form, JSON_HEADERS, file)) taken++;
    }
  }
  assert.ok(taken >= 10, `the fast path read ${taken} fixture forms`);
  assert.ok(agrees(plain, JSON.stringify(EXAMPLE), JSON_HEADERS, 'the documented example'));
});

test('headers: their shapes, case, replay marks and content types read as the addon reads them', () => {
  const body = JSON.stringify(EXAMPLE);
  const taken = {
    'no headers': undefined,
    'node:http': { host: 'x', 'content-type': 'application/json', 'content-length': String(body.length) },
    'no content type': { host: 'x' },
    'a replay': { 'content-type': 'application/json', 'omega-webhooks-replay': '1' },
    'a replay, any case, empty': { 'Omega-Webhooks-Replay': '' },
    'a Headers': new Headers({ 'Content-Type': 'application/json; charset=utf-8', 'Omega-Webhooks-Replay': 'yes' }),
    'a Map': new Map([['CONTENT-TYPE', 'Application/JSON']]),
    pairs: [['content-type', 'application/cloudevents+json'], ['x-trace', 'a\r\nb']],
    'array values': { 'content-type': ['text/plain', 'application/json'], 'x-many': ['1', '2'] },
    'numbers and nulls': { 'content-length': 42, 'x-none': null, 'x-undefined': undefined },
  };
  for (const [label, headers] of Object.entries(taken)) {
    assert.ok(agrees(plain, body, headers, label), `the fast path left "${label}" to the addon`);
  }
  assert.equal(plain.fast(body, { 'omega-webhooks-replay': '1' })[1], true);
  assert.equal(plain.fast(body, JSON_HEADERS)[1], false);
  const refused = {
    'text/plain': 'text/plain',
    'an empty content type': '',
    'JSON, then text': ['application/json', 'text/plain'],
  };
  for (const [label, contentType] of Object.entries(refused)) {
    const headers = { 'content-type': contentType };
    assert.equal(plain.fast(body, headers), undefined, `the fast path read "${label}"`);
    assert.equal(plain.addon(body, headers).status, 400, label);
  }
  // Names the addon might fold or split otherwise: left to it.
  for (const name of ['omega-webhoo\u212As-replay', 'x: y', 'x\ny']) {
    assert.equal(plain.fast(body, { [name]: '1' }), undefined, `the fast path read a header named ${JSON.stringify(name)}`);
  }
});

test('cap, endpoints and answer texts: the fast path reads only what the addon reads as it would', () => {
  const body = JSON.stringify(EXAMPLE);
  const size = Buffer.byteLength(body);
  assert.ok(agrees(readers({ maxBodyBytes: size }), body, JSON_HEADERS, 'exactly the cap'));
  assert.equal(readers({ maxBodyBytes: size - 1 }).fast(body, JSON_HEADERS), undefined, 'over the cap');
  assert.equal(readers({ maxBodyBytes: size - 1 }).addon(body, JSON_HEADERS).status, 413);
  const multibyte = JSON.stringify({ ...EXAMPLE, note: 'é'.repeat(10) });
  assert.equal(readers({ maxBodyBytes: multibyte.length }).fast(multibyte, JSON_HEADERS), undefined, 'the cap counts bytes');
  const endpoint = EXAMPLE.endpoint_id;
  assert.ok(agrees(readers({ endpoints: [endpoint] }), body, JSON_HEADERS, 'an accepted endpoint'));
  const other = readers({ endpoints: ['650000000000000000000999'] });
  assert.equal(other.fast(body, JSON_HEADERS), undefined, 'another endpoint');
  assert.equal(other.addon(body, JSON_HEADERS).status, 403);
  const texts = {
    'a type of 200 characters': 'x'.repeat(200),
    'a non-ASCII type': 'vidéo.créée',
    'a control character in the type': 'video.\u0085deleted',
    'a tab in the id': null,
  };
  for (const [label, type] of Object.entries(texts)) {
    const event = type === null ? { ...EXAMPLE, id: 'a\tb' } : { ...EXAMPLE, type };
    const text = JSON.stringify(event);
    assert.equal(plain.fast(text, JSON_HEADERS), undefined, `the fast path answered for ${label}`);
    const [, , handled] = plain.addon(text, JSON_HEADERS);
    assert.ok(Buffer.byteLength(handled) <= 200 && !handled.includes('\t'), label);
  }
  const longest = { ...EXAMPLE, type: 'x'.repeat(200 - 'no handler for  '.length - EXAMPLE.id.length) };
  assert.ok(agrees(plain, JSON.stringify(longest), JSON_HEADERS, 'the longest plain texts'));
});

test(`${FUZZ_INPUTS} mutated fixtures: wherever the fast path reads a delivery, the addon agrees`, () => {
  let read = 0;
  let accepted = 0;
  for (const { body, event } of fuzzCorpus()) {
    if (agrees(plain, body, JSON_HEADERS, `${body}`)) read++;
    if (event) accepted++;
  }
  assert.ok(read > accepted / 2, `the fast path read ${read} of the ${accepted} accepted bodies`);
});
