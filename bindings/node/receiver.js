'use strict';
// The webhook receiver Omega POSTs to: handlers by event type, and `fetch` and `node:http`
// adapters. Reading, verifying and answering a delivery are the Rust core's (NativeReceiver);
// this module calls your handlers and speaks to the web frameworks.

const { native, errors, callNative, cancellable, clientNatives } = require('./addon.js');

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

/** Request headers as the addon reads them: one `name: value` line each, from a plain object
 * (node:http, with array values), a `Headers` or `Map`, or pairs. */
function headerLines(headers) {
  if (headers === undefined || headers === null) return '';
  const entries = typeof headers.entries === 'function' && !Array.isArray(headers) ? headers.entries() : Array.isArray(headers) ? headers : Object.entries(headers);
  let lines = '';
  for (const [name, value] of entries) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null) lines += `${name}: ${String(one).replace(/[\r\n]+/g, ' ')}\n`;
    }
  }
  return lines;
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
    const lines = headerLines(headers);
    const read = this.#verifies
      ? await cancellable(signal, (token) => this.#native.handle(Buffer.from(bytes), lines, token))
      : callNative(() => this.#native.read(bytes, lines));
    if (typeof read !== 'string') return answerOf(read);
    const [event, replay, handled, unhandled] = JSON.parse(read);
    const handler = this.#handlers.get(event.type) ?? this.#any;
    if (handler === null) return readAnswer('unhandled', unhandled, replay, event);
    let claim = null;
    if (this.#dedupes) {
      const head = headOf(event, replay);
      const claimed = this.#native.claimNow(head) ?? (await this.#native.claim(head));
      if (!(claimed instanceof native.NativeClaim)) return answerOf(claimed, event);
      claim = claimed;
    }
    try {
      await handler(event);
    } catch (error) {
      if (claim !== null && !claim.releaseNow()) await claim.release();
      const [name, message] = failure(error);
      return answerOf(this.#native.failed(headOf(event, replay), name, message), event);
    }
    if (claim !== null && !claim.doneNow()) await claim.done();
    return readAnswer('handled', handled, replay, event);
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
      this.#nodeAnswer(req).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        (error) => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`omega-webhooks internal error: ${error?.name ?? 'Error'}`);
        },
      );
    };
  }

  async #nodeAnswer(req) {
    if (req.method !== 'POST') return this.#refused('methodNotAllowed');
    if (req.body !== undefined && req.body !== null && !(typeof req.body === 'string' || Buffer.isBuffer(req.body))) {
      // Express with express.json(): an object, not the bytes Omega sent (or an empty one from
      // a parser that skipped this content type but has drained the stream).
      if (req.readableEnded || Object.keys(req.body).length > 0) return this.#refused('bodyConsumed');
    }
    if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) {
      if (Buffer.byteLength(req.body) > this.#maxBodyBytes) return this.#refused('tooLarge');
      return this.handle(req.body, req.headers);
    }
    const body = await readBody(req, this.#maxBodyBytes);
    if (body === null) return this.#refused('tooLarge');
    return this.handle(body, req.headers);
  }

  /** An adapter's own answer: `methodNotAllowed`, `tooLarge` or `bodyConsumed`. */
  #refused(which) {
    return answerOf(this.#native[which]());
  }
}

/** A request's body, or null once it exceeds `cap` bytes (the rest is drained, not kept). */
function readBody(req, cap) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > cap) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

module.exports = { Receiver };
