'use strict';
// The error classes: one taxonomy, the same names in Rust, Python and Node.
//
// OmegaError
// ├── ConfigurationError          bad/missing key, bad base URL, bad id — before any I/O
// ├── APIConnectionError          DNS, connect, reset, TLS, body cut short
// │   └── APITimeoutError
// ├── APIStatusError              any non-2xx (3xx, 418, ... are this class)
// │   ├── BadRequestError 400  AuthenticationError 401  PermissionDeniedError 403
// │   ├── NotFoundError 404    ConflictError 409        UnprocessableEntityError 422
// │   └── RateLimitError 429   InternalServerError >= 500
// ├── APIResponseValidationError  a 2xx body that is not the documented shape
// └── WebhookPayloadError         parseEvent on a body that is not an event
//
// No message or inspection output contains the API key.

/** Base class of every error the SDK throws. */
class OmegaError extends Error {
  constructor(message, details = {}) {
    super(message);
    Object.defineProperty(this, 'name', { value: new.target.name, configurable: true, writable: true });
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

class ConfigurationError extends OmegaError {}
class APIConnectionError extends OmegaError {}
class APITimeoutError extends APIConnectionError {}
class APIStatusError extends OmegaError {}
class BadRequestError extends APIStatusError {}
class AuthenticationError extends APIStatusError {}
class PermissionDeniedError extends APIStatusError {}
class NotFoundError extends APIStatusError {}
class ConflictError extends APIStatusError {}
class UnprocessableEntityError extends APIStatusError {}
class RateLimitError extends APIStatusError {}
class InternalServerError extends APIStatusError {}
class APIResponseValidationError extends OmegaError {}
class WebhookPayloadError extends OmegaError {}

const classes = {
  OmegaError,
  ConfigurationError,
  APIConnectionError,
  APITimeoutError,
  APIStatusError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIResponseValidationError,
  WebhookPayloadError,
};

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

/** The taxonomy's error for an error thrown by the addon (a TypeError for a wrong argument
 * type); anything else is returned as is. */
function fromNative(error) {
  if (!(error instanceof Error)) return error;
  if (ARGUMENT_CODES.has(error.code)) return new TypeError(`invalid argument: ${error.message}`);
  if (!error.message.startsWith(MARKER)) return error;
  const details = JSON.parse(error.message.slice(MARKER.length));
  const Class = classes[details.class] ?? OmegaError;
  return new Class(details.message, details);
}

module.exports = { ...classes, fromNative };
