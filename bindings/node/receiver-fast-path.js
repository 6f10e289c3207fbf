'use strict';
// The usual delivery read without crossing into the addon: the receiver's fast path. It answers
// only where its answer is exactly `NativeReceiver.read`'s — a JSON content type (the addon's
// verdict, kept per value), a body within the cap that the generated normalizer takes
// (normalize.js), an accepted endpoint (the addon's), and answer texts that are printable ASCII
// within the answer limit (the addon's texts, filled in) — and returns `undefined` otherwise, so
// that the addon reads the delivery and gives every other answer. A test compares the two on
// every fixture, the edge cases and the fuzz corpus (tests/receiver-fast-path.test.mjs).

const { native } = require('./addon.js');
const { normalizeEvent } = require('./normalize.js');

/** The answer texts, their limit and the replay header: the Rust core's. */
const FAST = native.fastPath();

/** The types and ids a fast answer may use as they are (the addon's `one_line` keeps a text of
 * them and the texts' plain parts). */
const PLAIN = /^[\x20-\x7e]*$/;

/** The most characters a type and an id may have together, for both texts to fit the limit. */
const LONGEST_FIELDS = FAST.maxAnswerBytes - Math.max(...[FAST.handled, FAST.unhandled].map((parts) => parts.join('').length));

/** The header names the fast path reads as the addon does (an HTTP token: `toLowerCase` and
 * Rust's ASCII case folding agree on it, and a `name: value` line splits where it should). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The header named `Content-Type`, lowercase. */
const CONTENT_TYPE = 'content-type';

/** The addon's verdict on each `Content-Type` value seen (bounded: a receiver sees few). */
const jsonTypes = new Map();
const MAX_KEPT_TYPES = 64;

/** A header value on one line, as the addon is sent it (line breaks as a space). */
function oneLine(value) {
  return value.replace(/[\r\n]+/g, ' ');
}

/** A `node:http` request's `rawHeaders`, `[name, value, ...]`: what its adapter reads (the
 * `headers` object is built on first use, at a cost on every delivery). */
class RawHeaders {
  constructor(flat) {
    this.flat = flat;
  }
}

/** Calls `fn(name, value)` for each header value, as the addon is sent them: from
 * `RawHeaders`, a plain object (node:http's `headers`, with array values), a `Headers` or `Map`,
 * or pairs; values as strings on one line, `undefined`/`null` skipped. */
function eachHeader(headers, fn) {
  if (headers === undefined || headers === null) return;
  if (headers instanceof RawHeaders) {
    const { flat } = headers;
    for (let i = 0; i + 1 < flat.length; i += 2) fn(flat[i], oneLine(flat[i + 1]));
    return;
  }
  const entries = typeof headers.entries === 'function' && !Array.isArray(headers) ? headers.entries() : Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [name, value] of entries) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null) fn(String(name), oneLine(String(one)));
    }
  }
}

/** Whether `contentType` is JSON, as the addon decides. */
function isJson(contentType) {
  let verdict = jsonTypes.get(contentType);
  if (verdict === undefined) {
    verdict = native.isJsonContentType(contentType);
    if (jsonTypes.size < MAX_KEPT_TYPES) jsonTypes.set(contentType, verdict);
  }
  return verdict;
}

/** The replay flag of a delivery whose headers the fast path can read (a JSON content type or
 * none), else `undefined`. */
function replayOf(headers) {
  let readable = true;
  let replay = false;
  let contentType;
  const read = (name, value) => {
    if (name.length === CONTENT_TYPE.length) {
      if (name.toLowerCase() === CONTENT_TYPE) contentType = value;
    } else if (name.length === FAST.replayHeader.length && name.toLowerCase() === FAST.replayHeader) {
      replay = true;
    }
  };
  if (headers instanceof RawHeaders) {
    // node:http's parser passes only tokens as names (as Latin-1 text, which `toLowerCase` folds
    // as ASCII where it matters): read as they are, and only the content type's value made one
    // line, as `eachHeader` would.
    const { flat } = headers;
    for (let i = 0; i + 1 < flat.length; i += 2) read(flat[i], flat[i + 1]);
    if (contentType !== undefined) contentType = oneLine(contentType);
  } else {
    eachHeader(headers, (name, value) => {
      if (!TOKEN.test(name)) readable = false;
      read(name, value);
    });
  }
  if (!readable || (contentType !== undefined && !isJson(contentType))) return undefined;
  return replay;
}

/** The texts `[before, between]` names for `event`, or `undefined` when the addon would change
 * one of them (its type or id not printable ASCII, or one too long). */
function textsOf(event) {
  const { type, id } = event;
  if (type.length + id.length > LONGEST_FIELDS || !PLAIN.test(type) || !PLAIN.test(id)) return undefined;
  const [handledBefore, handledBetween] = FAST.handled;
  const [unhandledBefore, unhandledBetween] = FAST.unhandled;
  return [handledBefore + type + handledBetween + id, unhandledBefore + type + unhandledBetween + id];
}

/** `NativeReceiver.read`'s answer to a delivery, `[event, replay, handled, unhandled]`, read
 * here; `undefined` where the addon must read it. `accepts` is the receiver's endpoint check
 * (`null`: every endpoint), `cap` its body cap in bytes. */
function readFast(bytes, headers, cap, accepts) {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  if (size > cap) return undefined;
  const replay = replayOf(headers);
  if (replay === undefined) return undefined;
  const event = normalizeEvent(bytes);
  if (event === undefined || (accepts !== null && !accepts(event.endpoint_id))) return undefined;
  const texts = textsOf(event);
  return texts === undefined ? undefined : [event, replay, texts[0], texts[1]];
}

module.exports = { readFast, eachHeader, RawHeaders };
