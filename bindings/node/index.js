'use strict';
// omega-webhooks for Node (CommonJS entry point; index.mjs re-exports it for ESM).
// A small wrapper: the Rust addon does the work and returns normalized JSON text, which is
// handed to JSON.parse (the fast path for large results, see docs/benchmarks.md).

const { inspect } = require('node:util');
const native = require('./native.js');
const errors = require('./errors.js');
const fromNative = require('./error-base.js').converter(errors);

/** Runs a synchronous addon call, converting its errors to the taxonomy. */
function callNative(fn) {
  try {
    return fn();
  } catch (error) {
    throw fromNative(error);
  }
}

/** What an aborted call rejects with: the signal's reason, as `fetch` does. */
function abortReason(signal) {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Runs an async addon call that an `AbortSignal` can cancel. */
async function cancellable(signal, start) {
  if (signal?.aborted) throw abortReason(signal);
  const token = new native.CancelToken();
  const onAbort = () => token.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await start(token);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw fromNative(error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Client of the Omega Stream webhook events API. See index.d.ts for the options. */
class Client {
  #native;

  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new errors.ConfigurationError('options must be an object');
    }
    const { apiKey, baseUrl, timeoutMs, connectTimeoutMs, totalTimeoutMs, maxRetries } = options;
    const { retryInitialDelayMs, maxResponseBytes, allowInsecureHttp } = options;
    if (apiKey !== undefined && apiKey !== null && typeof apiKey !== 'string') {
      throw new errors.ConfigurationError('apiKey must be a string');
    }
    this.#native = callNative(
      () =>
        new native.NativeClient({
          apiKey: apiKey ?? undefined,
          baseUrl: baseUrl ?? undefined,
          timeoutMs,
          connectTimeoutMs,
          totalTimeoutMs,
          maxRetries,
          retryInitialDelayMs,
          maxResponseBytes,
          allowInsecureHttp,
          runtimeVersion: process.versions.node,
        }),
    );
  }

  /** The base URL requests go to. */
  get baseUrl() {
    return this.#native.baseUrl;
  }

  /** Whether `close()` was called. */
  get closed() {
    return this.#native.closed;
  }

  /** Closes the pooled connections now; later calls reject with a `ConfigurationError`. */
  close() {
    this.#native.close();
  }

  /** The events delivered to a webhook endpoint (`data` and `response` are null). */
  async listEvents(endpointId, { signal } = {}) {
    return JSON.parse(await cancellable(signal, (token) => this.#native.listEvents(endpointId, token)));
  }

  /** One event in full. */
  async getEvent(endpointId, eventId, { signal } = {}) {
    return JSON.parse(await cancellable(signal, (token) => this.#native.getEvent(endpointId, eventId, token)));
  }

  [inspect.custom]() {
    return `Client { baseUrl: ${inspect(this.baseUrl)} }`;
  }
}

/** Parses an incoming webhook body (string or Buffer) into a normalized event object. */
function parseEvent(body) {
  return JSON.parse(callNative(() => native.parseEvent(body)));
}

module.exports = { Client, parseEvent, ...errors };
