// Node's fast path to the normalized event: `JSON.parse`, then one reader per model, written
// by codegen from the Rust models (their field lists and wire schemas). It takes only what it
// can answer exactly as the Rust decoder does, and gives up (returns `undefined`, so the caller
// asks the addon) on anything else: a body with a `\u` escape or that is not well-formed text,
// JSON that does not parse, a duplicate key, a value of the wrong type, a timestamp not in the
// API's own UTC form, an unknown key that is not ASCII, a bare video, `-0`, a number out of
// range or deep nesting in an unknown field. `bindings/node/tests/normalize.test.mjs` compares
// it with the addon on every fixture, its edge cases and 20,000 fuzz inputs.
// (This part is the same for every model: codegen's `normalize_runtime.js`.)
'use strict';

const { isAscii, isUtf8 } = require('node:buffer');

/** Thrown by a reader that gives up; caught by `normalizeEvent` alone. */
const GIVE_UP = Symbol('give up');

/** The colons of the body's keys and strings seen by the readers: a duplicate key, which
 * `JSON.parse` drops without a word, leaves the body with more colons than they saw (no other
 * escape than `\u` makes or hides a colon, and the body has none). */
let colons = 0;

/** Leaves the body to the addon. */
function giveUp() {
  throw GIVE_UP;
}

/** The value of a field with an alias: either spelling, not both. */
function one(value, alias) {
  if (value === undefined) return alias;
  if (alias !== undefined) giveUp();
  return value;
}

/** How many colons `text` holds. */
function countColons(text) {
  let count = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) count++;
  return count;
}

/** Gives up unless `value` is a JSON object. */
function object(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) giveUp();
}

/** A string, its colons counted. */
function str(value) {
  if (typeof value !== 'string') giveUp();
  colons += countColons(value);
  return value;
}

/** A boolean. */
function bool(value) {
  if (typeof value !== 'boolean') giveUp();
  return value;
}

/** An integer from `min` to `max`; `-0` is the integer 0. */
function int(value, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) giveUp();
  return value + 0;
}

/** A finite number, as the addon writes a 64-bit float (`-0` stays `-0`). */
function float(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) giveUp();
  return value;
}

/** `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the form the API writes (the Rust decoder's own fast
 * form); any other RFC 3339 text is left to the addon. */
const UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z$/;

/** The months of 30 days. */
const SHORT_MONTHS = new Set([4, 6, 9, 11]);

/** A timestamp in the API's UTC form, a real date and time of the years 1 to 9999. */
function timestamp(value) {
  if (typeof value !== 'string' || !UTC.test(value)) giveUp();
  const digits = (at) => (value.charCodeAt(at) - 48) * 10 + value.charCodeAt(at + 1) - 48;
  const year = digits(0) * 100 + digits(2);
  const month = digits(5);
  const day = digits(8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : SHORT_MONTHS.has(month) ? 30 : 31;
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > days) giveUp();
  if (digits(11) > 23 || digits(14) > 59 || digits(17) > 59) giveUp();
  colons += 2;
  return value;
}

/** A key the model does not know, as the addon writes it: ASCII (so sorted alike), and never
 * `__proto__` (which an assignment would not store as a key). */
function key(name) {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 0x7f) giveUp();
  if (name === '__proto__') giveUp();
  colons += countColons(name);
  return name;
}

/** The keys of an object, counted as keys seen. */
function keysOf(value) {
  const keys = Object.keys(value);
  colons += keys.length;
  return keys;
}

/** How deep an unknown field's value may nest here: the Rust decoder refuses a body nested
 * 128 deep, so deeper values are left to it. */
const DEPTH = 64;

/** An unknown field's value, as the addon writes a JSON value: objects with sorted keys. */
function value(any, depth = 0) {
  switch (typeof any) {
    case 'string':
      return str(any);
    case 'boolean':
      return any;
    case 'number':
      if (!Number.isFinite(any) || Object.is(any, -0)) giveUp();
      return any;
    default:
      if (any === null) return null;
      if (depth === DEPTH) giveUp();
      if (Array.isArray(any)) return any.map((item) => value(item, depth + 1));
      return sorted(any, (item) => value(item, depth + 1));
  }
}

/** An object whose every value `read` takes, with its keys sorted. */
function sorted(any, read) {
  const copy = {};
  for (const name of keysOf(any).sort()) copy[key(name)] = read(any[name]);
  return copy;
}

/** A map of strings (`meta`). */
function strings(any) {
  object(any);
  return sorted(any, str);
}

/** After a model's fields (`seen` of them on the wire): its unknown fields, sorted. */
function rest(wire, model, seen, known) {
  let count = 0;
  for (const name in wire) count++;
  colons += count;
  if (count === seen) return model;
  const unknown = [];
  for (const name in wire) if (!known.has(name)) unknown.push(name);
  for (const name of unknown.sort()) model[key(name)] = value(wire[name]);
  return model;
}

/** The keys of an event's `data` that are not kept as they are. */
const DATA_KEYS = new Set(['video']);

/** An event's `data`: `{"video": {...}}` or not, other keys kept (a bare video: the addon). */
function eventData(wire) {
  object(wire);
  const video = wire.video;
  if (video === undefined) {
    if (wire.id !== undefined) giveUp();
    return rest(wire, {}, 0, DATA_KEYS);
  }
  return rest(wire, { video: readVideo(video) }, 1, DATA_KEYS);
}

/** The normalized event of `body` (a string or bytes), or `undefined` where the addon must
 * decide (see the top of this file). */
function normalizeEvent(body) {
  let text = body;
  if (typeof body !== 'string') {
    if (!(body instanceof Uint8Array)) return undefined;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    // ASCII (the API's usual body) reads as Latin-1, the same text, a third faster than UTF-8.
    if (isAscii(bytes)) text = bytes.toString('latin1');
    else if (isUtf8(bytes)) text = bytes.toString('utf8');
    else return undefined;
  } else if (!body.isWellFormed()) {
    return undefined;
  }
  // `\u` escapes may hide a colon or spell a lone surrogate (which the addon refuses).
  if (text.indexOf('\\u') !== -1) return undefined;
  let wire;
  try {
    wire = JSON.parse(text);
  } catch {
    return undefined;
  }
  colons = 0;
  try {
    const event = readEvent(wire);
    return colons === countColons(text) ? event : undefined;
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}
