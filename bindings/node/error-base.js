'use strict';
// OmegaError, the base of every error the SDK throws (hand-written; its subclasses in errors.js
// are generated from the Rust taxonomy), and the conversion of the addon's errors to them.

/** Base class of every error the SDK throws. */
class OmegaError extends Error {
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    Object.defineProperty(this, 'name', { value: new.target.name, configurable: true, writable: true });
    /** The API's own message, for non-2xx answers (`message` is the whole one-line text). */
    this.apiMessage = details.apiMessage ?? null;
    /** HTTP status, for answers of the API. */
    this.status = details.status ?? null;
    /** Response body (truncated), for non-2xx answers. */
    this.body = details.body ?? null;
    /** The `x-request-id` (or `request-id`) response header. */
    this.requestId = details.requestId ?? null;
    /** Response headers, names lowercased. */
    this.headers = details.headers ?? {};
    /** Seconds the API asked to wait (`Retry-After`). */
    this.retryAfter = details.retryAfter ?? null;
    /** JSON path of the problem, for bodies of the wrong shape. */
    this.path = details.path ?? null;
    /** Attempts made, retries included (0: refused before any I/O). */
    this.attempts = details.attempts ?? 0;
  }
}

/** Prefix of the messages of errors coming from the Rust addon (see bindings/node/src/errors.rs). */
const MARKER = 'OMEGA_WEBHOOKS_ERROR:';

/** Codes of napi-rs argument conversion failures: a wrong argument type, i.e. a TypeError. */
const ARGUMENT_CODES = new Set([
  'InvalidArg',
  'ObjectExpected',
  'StringExpected',
  'NumberExpected',
  'BooleanExpected',
  'ArrayExpected',
  'BigintExpected',
]);

/** `fromNative` over `classes` (name → class): the taxonomy's error for an error thrown by the
 * addon, a TypeError for a wrong argument type, anything else as is. */
function converter(classes) {
  return function fromNative(error) {
    if (!(error instanceof Error)) return error;
    if (ARGUMENT_CODES.has(error.code)) return new TypeError(`invalid argument: ${error.message}`);
    if (!error.message.startsWith(MARKER)) return error;
    return fromDetails(classes, JSON.parse(error.message.slice(MARKER.length)));
  };
}

/** The taxonomy's error for the details the addon sends (class, text, status, cause, ...). */
function fromDetails(classes, details) {
  const Class = classes[details.class] ?? OmegaError;
  const cause = details.cause === null || details.cause === undefined ? undefined : new Error(details.cause);
  return new Class(details.text, { ...details, cause });
}

module.exports = { OmegaError, converter, fromDetails };
