'use strict';
// omega-webhooks for Node (CommonJS entry point; index.mjs re-exports it for ESM).
// A small wrapper: the Rust addon does the work and returns normalized JSON text, which is
// handed to JSON.parse (the fast path for large results, see docs/benchmarks.md).

const { inspect } = require('node:util');
const { native, errors, callNative, cancellable, clientNatives } = require('./addon.js');
const { fromDetails } = require('./error-base.js');
const { Receiver } = require('./receiver.js');
const testing = require('./testing.js');
const { normalizeEvent } = require('./normalize.js');

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
    clientNatives.set(this, this.#native);
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

  /** The events delivered to a webhook endpoint (`data` and `response` are null), optionally
   * only those of `types` created between `since` and `until`. */
  async listEvents(endpointId, { signal, types, since, until } = {}) {
    if (types === undefined && since === undefined && until === undefined) {
      return listInPieces(this.#native, endpointId, signal);
    }
    const filter = filterOf({ types, since, until });
    return JSON.parse(await cancellable(signal, (token) => this.#native.listFiltered(endpointId, filter, token)));
  }

  /** Many events in full, `concurrency` at a time (default: the SDK's), in the order of
   * `eventIds`, each settled on its own like `Promise.allSettled`. */
  async getEvents(endpointId, eventIds, { signal, concurrency } = {}) {
    const ids = Array.from(eventIds);
    const text = await cancellable(signal, (token) => this.#native.getEvents(endpointId, ids, concurrency, token));
    return JSON.parse(text).map((item) =>
      item.status === 'fulfilled' ? item : { status: 'rejected', reason: fromDetails(errors, item.reason) },
    );
  }

  /** The events (in full) whose delivery failed (a non-2xx answer) or has no answer, among those
   * that pass the filters; an event whose details cannot be read rejects with its error. */
  async failedDeliveries(endpointId, { signal, types, since, until, concurrency } = {}) {
    const filter = filterOf({ types, since, until });
    return JSON.parse(
      await cancellable(signal, (token) => this.#native.failedDeliveries(endpointId, filter, concurrency, token)),
    );
  }

  /** The delivery health of the events that pass the filters: counts per time bucket (`by`:
   * `'day'` or `'hour'`, UTC) and per event type, and the failed or unanswered deliveries
   * grouped by receiver status and cause (the CLI's `events stats --json`). Reads every event's
   * details, `concurrency` at a time; an event whose details cannot be read rejects with its error. */
  async deliveryStats(endpointId, { signal, types, since, until, by, concurrency } = {}) {
    const filter = filterOf({ types, since, until });
    return JSON.parse(
      await cancellable(signal, (token) => this.#native.deliveryStats(endpointId, filter, by, concurrency, token)),
    );
  }

  /** POSTs `event` to a receiver you control, as Omega would have delivered it (never with the
   * API key); resolves with the receiver's answer (see `ok`). */
  async replay(event, url, { signal, allowInsecureHttp = false } = {}) {
    const body = JSON.stringify(event);
    return JSON.parse(await cancellable(signal, (token) => this.#native.replay(body, url, allowInsecureHttp, token)));
  }

  /** One event in full. */
  async getEvent(endpointId, eventId, { signal } = {}) {
    return JSON.parse(await cancellable(signal, (token) => this.#native.getEvent(endpointId, eventId, token)));
  }

  /** New events as they arrive, oldest first: an endless async iterator. With `state`, nothing is
   * lost or repeated across restarts (an event counts as handled when the next one is asked for);
   * the signal ends it with its reason. A bad option or state file throws here. */
  follow(endpointId, { signal, intervalMs, since, state, types } = {}) {
    const options = { ...filterOf({ types, since }), intervalMs, state };
    return events(callNative(() => this.#native.follower(endpointId, options)), signal);
  }

  /** The first new event of `type` (created since `since`, default now), or an `APITimeoutError`
   * after `timeoutMs`; `where` (sync or async, called here) picks among the candidates. */
  async waitForEvent(endpointId, { signal, type, since, timeoutMs, intervalMs, where, delivered } = {}) {
    if (type === undefined || type === null) throw new TypeError('waitForEvent needs a type');
    const options = { ...filterOf({ types: type, since }), timeoutMs, intervalMs, delivered };
    for await (const event of events(callNative(() => this.#native.waiter(endpointId, options)), signal)) {
      if (where === undefined || (await where(event))) return event;
    }
  }

  [inspect.custom]() {
    return `Client { baseUrl: ${inspect(this.baseUrl)} }`;
  }
}

/** `since`/`until` as the text the addon parses: a `Date`, an RFC 3339 string, or a number of
 * milliseconds before now. */
function whenText(value, name) {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return `${Math.round(value)}ms`;
  throw new TypeError(`${name} must be a Date, an RFC 3339 string or a number of milliseconds ago`);
}

/** The filter options as the addon takes them (a lone type string is one type). */
function filterOf({ types, since, until }) {
  return {
    types: typeof types === 'string' ? [types] : types,
    since: whenText(since, 'since'),
    until: whenText(until, 'until'),
  };
}

/** The list call's events, each run of them parsed as it arrives (the JS thread is idle during
 * the transfer), then the rest; a retry or a body decoded whole voids the runs parsed before. */
async function listInPieces(client, endpointId, signal) {
  const pieces = new native.NativeListPieces();
  const call = cancellable(signal, (token) => client.listEventsInPieces(endpointId, pieces, token));
  // Awaited once the pieces end; a failure before that is not an unhandled rejection.
  call.catch(() => {});
  let lists = [];
  for (let piece = await pieces.next(); piece !== null; piece = await pieces.next()) {
    if (piece === '') lists = [];
    else lists.push(JSON.parse(piece));
  }
  const rest = await call;
  const events = JSON.parse(rest.json);
  return rest.whole || lists.length === 0 ? events : [].concat(...lists, events);
}

/** A native follower's events, one `next()` per item; an aborted signal rejects (losing nothing). */
async function* events(follower, signal) {
  for (;;) yield JSON.parse(await cancellable(signal, (token) => follower.next(token)));
}

/** Whether an event's delivery succeeded: true (2xx), false (any other status), null (no answer). */
function delivered(event) {
  return native.delivered(event?.response?.status_code ?? null);
}

/** Parses an incoming webhook body (string or Buffer) into a normalized event object: in
 * JavaScript where the generated fast path takes the body exactly as the addon would, else (and
 * for every error) through the addon. */
function parseEvent(body) {
  return normalizeEvent(body) ?? JSON.parse(callNative(() => native.parseEvent(body)));
}

/** The defaults of the delivery operations' options, from the Rust client crate. */
const { DEFAULT_CONCURRENCY, DEFAULT_POLL_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS } = native;

module.exports = {
  Client,
  Receiver,
  testing,
  parseEvent,
  delivered,
  DEFAULT_CONCURRENCY,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  ...errors,
};
