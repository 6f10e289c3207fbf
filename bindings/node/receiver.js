'use strict';
// The webhook receiver Omega POSTs to: handlers by event type, and `fetch` and `node:http`
// adapters. Reading, verifying and answering a delivery are the Rust core's (NativeReceiver; the
// usual delivery read without a crossing by receiver-fast-path.js, with the core's texts); this
// module calls your handlers and speaks to the web frameworks.

const { native, errors, callNative, cancellable, clientNatives } = require('./addon.js');
const { readFast, eachHeader, RawHeaders } = require('./receiver-fast-path.js');

/** Whether deliveries are logged (to stderr): `OMEGA_LOG` set to anything but `off` when this
 * module loads (read once: `process.env` is slow to read on every delivery). */
const LOGGING = Boolean(process.env.OMEGA_LOG) && process.env.OMEGA_LOG !== 'off';

/** The headers of an answer, by status (the addon's, kept). */
const headersByStatus = new Map();

/** The status of each outcome (the addon's, kept). */
const STATUSES = native.outcomeStatuses();

/** An answer (as the addon gives it) as the object `handle` resolves to, logged. */
function answerOf({ status, body, outcome, logLine }, event = null) {
  if (LOGGING) console.error(`omega-webhooks: ${logLine}`);
  let headers = headersByStatus.get(status);
  if (headers === undefined) headersByStatus.set(status, (headers = native.answerHeaders(status)));
  return { status, body, outcome, headers: { ...headers }, event };
}

/** The answer of `outcome` (`handled`, `unhandled`) whose body `read` made. */
function readAnswer(outcome, body, replay, event) {
  const logLine = LOGGING ? native.logLine(outcome, body, replay) : '';
  return answerOf({ status: STATUSES[outcome], body, outcome, logLine }, event);
}

/** Request headers as the addon reads them: one `name: value` line each. */
function headerLines(headers) {
  let lines = '';
  eachHeader(headers, (name, value) => {
    lines += `${name}: ${value}\n`;
  });
  return lines;
}

/** Whether `value` is a promise (or another thenable), as `await` would take it. */
function isThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
}

/** Marks `claim` done (`handled`) or releases it, then gives `answer()` (or a promise of it,
 * when the store needs I/O). */
function settle(claim, handled, answer) {
  if (handled ? claim.doneNow() : claim.releaseNow()) return answer();
  return (handled ? claim.done() : claim.release()).then(answer);
}

/** A claim the addon gave as its token (a store that needs no I/O): settled at once. The
 * event's ids are kept as they were claimed (a handler may change its event). */
class TokenClaim {
  constructor(receiver, event, token) {
    this.receiver = receiver;
    this.endpointId = event.endpoint_id;
    this.id = event.id;
    this.token = token;
  }

  /** Marks the event handled: `true` (at once). */
  doneNow() {
    return this.receiver.settleNow(this.endpointId, this.id, this.token, true);
  }

  /** Gives the event up: `true` (at once). */
  releaseNow() {
    return this.receiver.settleNow(this.endpointId, this.id, this.token, false);
  }
}

/** The fields of a delivery the addon's answers and claims name. */
function headOf(event, replay) {
  return { id: event.id, type: event.type, endpointId: event.endpoint_id, replay };
}

/** The class name and message of what a handler threw. */
function failure(error) {
  if (error instanceof Error) return [error.name || error.constructor?.name || 'Error', String(error.message ?? '')];
  return [typeof error, String(error)];
}

/** Receives the webhooks Omega POSTs; see index.d.ts. */
class Receiver {
  #native;
  #verifies;
  #dedupes;
  #maxBodyBytes;
  #accepts;
  #handlers = new Map();
  #any = null;

  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new errors.ConfigurationError('options must be an object');
    }
    const { maxBodyBytes, exposeErrors, verify, endpoints, dedupe, leaseMs, rememberMs } = options;
    let client;
    if (verify !== undefined && verify !== null) {
      client = clientNatives.get(verify);
      if (client === undefined) throw new errors.ConfigurationError('verify must be a Client');
    }
    const list = typeof endpoints === 'string' ? [endpoints] : endpoints;
    this.#native = callNative(
      () =>
        new native.NativeReceiver(
          { maxBodyBytes, exposeErrors, endpoints: list === undefined ? undefined : [...list], dedupe, leaseMs, rememberMs },
          client,
        ),
    );
    this.#verifies = client !== undefined;
    this.#dedupes = this.#native.dedupes;
    this.#maxBodyBytes = this.#native.maxBodyBytes;
    this.#accepts = list === undefined ? null : (endpointId) => this.#native.acceptsEndpoint(endpointId);
  }

  /** Registers `handler` for one event type or several (known or not). */
  on(types, handler) {
    const list = Array.isArray(types) ? types : [types];
    if (list.length === 0 || typeof handler !== 'function') {
      throw new errors.ConfigurationError('on(type | type[], handler) needs a type and a function');
    }
    for (const type of list) this.#handlers.set(String(type), handler);
    return this;
  }

  /** Registers `handler` for every event without a handler of its own. */
  onAny(handler) {
    if (typeof handler !== 'function') throw new errors.ConfigurationError('onAny(handler) needs a function');
    this.#any = handler;
    return this;
  }

  /** Receives one delivery (`body` as Omega sent it: a string, Buffer or Uint8Array) and
   * resolves to the answer to send back. Handlers may be async. */
  async handle(body, headers, { signal } = {}) {
    const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : null;
    if (bytes === null) throw new TypeError('body must be a string, Buffer or Uint8Array');
    return this.#receive(bytes, headers, signal);
  }

  /** The answer to a delivery: at once when nothing makes it wait (a sync handler, no store or
   * API to ask), else a promise of it. */
  #receive(bytes, headers, signal) {
    if (this.#verifies) return this.#verified(bytes, headers, signal);
    const read = readFast(bytes, headers, this.#maxBodyBytes, this.#accepts) ?? callNative(() => this.#native.read(bytes, headerLines(headers)));
    return Array.isArray(read) ? this.#dispatch(read) : this.#addonRead(read);
  }

  /** What the addon read: a delivery as JSON text, dispatched, or the answer that ends it. */
  #addonRead(read) {
    return typeof read === 'string' ? this.#dispatch(JSON.parse(read)) : answerOf(read);
  }

  /** A delivery read and verified with the API by the addon, then dispatched. */
  async #verified(bytes, headers, signal) {
    return this.#addonRead(await cancellable(signal, (token) => this.#native.handle(Buffer.from(bytes), headerLines(headers), token)));
  }

  /** Hands a read delivery, `[event, replay, handled, unhandled]`, to its handler. */
  #dispatch([event, replay, handled, unhandled]) {
    const handler = this.#handlers.get(event.type) ?? this.#any;
    if (handler === null) return readAnswer('unhandled', unhandled, replay, event);
    return this.#dedupes ? this.#once(handler, event, replay, handled) : this.#run(handler, event, replay, handled, null);
  }

  /** Runs `handler` if this worker claims the event first (dedupe): claimed at once when the
   * store needs no I/O (memory), else through a promise. */
  #once(handler, event, replay, handled) {
    const claimed = this.#native.claimNow(event.id, event.type, event.endpoint_id, replay);
    if (typeof claimed === 'string') return this.#run(handler, event, replay, handled, new TokenClaim(this.#native, event, claimed));
    if (claimed !== null) return answerOf(claimed, event);
    return this.#native.claim(headOf(event, replay)).then((claim) => (claim instanceof native.NativeClaim ? this.#run(handler, event, replay, handled, claim) : answerOf(claim, event)));
  }

  /** Runs `handler`, then settles `claim` (if any): the answer at once when the handler returns
   * a value, else a promise of it. */
  #run(handler, event, replay, handled, claim) {
    const ok = () => readAnswer('handled', handled, replay, event);
    const failed = (error) => this.#failed(event, replay, error);
    let result;
    try {
      result = handler(event);
    } catch (error) {
      return claim === null ? failed(error) : settle(claim, false, () => failed(error));
    }
    if (claim === null) return isThenable(result) ? result.then(ok, failed) : ok();
    if (!isThenable(result)) return settle(claim, true, ok);
    return result.then(
      () => settle(claim, true, ok),
      (error) => settle(claim, false, () => failed(error)),
    );
  }

  /** The answer after the event's handler threw or rejected with `error`. */
  #failed(event, replay, error) {
    const [name, message] = failure(error);
    return answerOf(this.#native.failed(headOf(event, replay), name, message), event);
  }

  /** A fetch handler, `(Request) => Promise<Response>`: Next.js route handlers, Hono, Bun, Deno. */
  get fetch() {
    return async (request) => {
      const answer = request.method !== 'POST' ? this.#refused('methodNotAllowed') : await this.#fetchBody(request);
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    };
  }

  async #fetchBody(request) {
    const cap = this.#maxBodyBytes;
    if (Number(request.headers.get('content-length') ?? 0) > cap) return this.#refused('tooLarge');
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > cap) return this.#refused('tooLarge');
    return this.handle(body, request.headers);
  }

  /** A `node:http` request listener, `(req, res)`, also Express middleware: the raw body is read
   * from the request, or taken from `express.raw()` (a Buffer) or `express.text()`; a body
   * `express.json()` already parsed is answered 500 with how to mount the route instead. */
  get node() {
    return (req, res) => {
      if (req.method !== 'POST') return respond(res, () => this.#refused('methodNotAllowed'));
      const body = req.body;
      if (body !== undefined && body !== null && !(typeof body === 'string' || Buffer.isBuffer(body))) {
        // Express with express.json(): an object, not the bytes Omega sent (or an empty one from
        // a parser that skipped this content type but has drained the stream).
        if (req.readableEnded || Object.keys(body).length > 0) return respond(res, () => this.#refused('bodyConsumed'));
      }
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        return respond(res, () => (Buffer.byteLength(body) > this.#maxBodyBytes ? this.#refused('tooLarge') : this.#receive(body, new RawHeaders(req.rawHeaders))));
      }
      readBody(req, res, this.#maxBodyBytes, (read) =>
        respond(res, () => (read === null ? this.#refused('tooLarge') : this.#receive(read, new RawHeaders(req.rawHeaders)))),
      );
    };
  }

  /** An adapter's own answer: `methodNotAllowed`, `tooLarge` or `bodyConsumed`. */
  #refused(which) {
    return answerOf(this.#native[which]());
  }
}

/** Sends the answer `answer()` gives (or resolves to) on a `node:http` response; an error as
 * a 500 that names its class alone. */
function respond(res, answer) {
  let value;
  try {
    value = answer();
  } catch (error) {
    return sendError(res, error);
  }
  if (isThenable(value)) value.then((resolved) => send(res, resolved), (error) => sendError(res, error));
  else send(res, value);
}

/** Sends `answer` on a `node:http` response, its length given (so that it goes out in one
 * write, not chunked). */
function send(res, { status, headers, body }) {
  // (Copied by a loop: a spread with one more key costs ~0.5 us, a tenth of a delivery.)
  const sent = { 'content-length': Buffer.byteLength(body) };
  for (const name in headers) sent[name] = headers[name];
  res.writeHead(status, sent);
  res.end(body);
}

/** Answers 500 on a `node:http` response for an error of the SDK's own. */
function sendError(res, error) {
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`omega-webhooks internal error: ${error?.name ?? 'Error'}`);
}

/** Calls `done` with a request's body, or with null once it exceeds `cap` bytes (the rest is
 * drained, not kept); a stream error is answered 500 on `res`. */
function readBody(req, res, cap, done) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= cap) chunks.push(chunk);
  });
  req.on('end', () => done(size > cap ? null : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  req.on('error', (error) => sendError(res, error));
}

module.exports = { Receiver };
