'use strict';
// The webhook receiver Omega POSTs to: handlers by event type, and `fetch` and `node:http`
// adapters. Reading, verifying and answering a delivery are the Rust core's (NativeReceiver);
// this module calls your handlers and speaks to the web frameworks.

const { native, errors, callNative, cancellable, clientNatives } = require('./addon.js');

/** Whether deliveries are logged (to stderr): `OMEGA_LOG` set to anything but `off`. */
const logging = () => Boolean(process.env.OMEGA_LOG) && process.env.OMEGA_LOG !== 'off';

/** An answer (JSON text from the addon) as the object `handle` resolves to. */
function answerOf(text, event = null) {
  const { status, body, outcome, headers, logLine } = JSON.parse(text);
  if (logging()) console.error(`omega-webhooks: ${logLine}`);
  return { status, body, outcome, headers, event };
}

/** Request headers as [name, value] pairs: from a plain object (node:http, with array values),
 * a `Headers` or `Map`, or pairs. */
function headerPairs(headers) {
  if (headers === undefined || headers === null) return [];
  const entries = typeof headers.entries === 'function' && !Array.isArray(headers) ? [...headers.entries()] : Array.isArray(headers) ? headers : Object.entries(headers);
  const pairs = [];
  for (const [name, value] of entries) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null) pairs.push([String(name), String(one)]);
    }
  }
  return pairs;
}

/** The class name and message of what a handler threw. */
function failure(error) {
  if (error instanceof Error) return [error.name || error.constructor?.name || 'Error', String(error.message ?? '')];
  return [typeof error, String(error)];
}

/** Receives the webhooks Omega POSTs; see index.d.ts. */
class Receiver {
  #native;
  #handlers = new Map();
  #any = null;

  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new errors.ConfigurationError('options must be an object');
    }
    const { maxBodyBytes, exposeErrors, verify, endpoints } = options;
    let client;
    if (verify !== undefined && verify !== null) {
      client = clientNatives.get(verify);
      if (client === undefined) throw new errors.ConfigurationError('verify must be a Client');
    }
    const list = typeof endpoints === 'string' ? [endpoints] : endpoints;
    this.#native = callNative(
      () => new native.NativeReceiver({ maxBodyBytes, exposeErrors, endpoints: list === undefined ? undefined : [...list] }, client),
    );
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
    const read = callNative(() => this.#native.read(bytes, headerPairs(headers)));
    if (typeof read === 'string') return answerOf(read);
    if (this.#native.verifies) {
      const refused = await cancellable(signal, (token) => this.#native.verify(read, token));
      if (refused !== 'null') return answerOf(refused);
    }
    const event = JSON.parse(read.eventJson());
    const handler = this.#handlers.get(event.type) ?? this.#any;
    if (handler === null) return answerOf(this.#native.unhandled(read), event);
    try {
      await handler(event);
    } catch (error) {
      const [name, message] = failure(error);
      return answerOf(this.#native.failed(read, name, message), event);
    }
    return answerOf(this.#native.handled(read), event);
  }

  /** A fetch handler, `(Request) => Promise<Response>`: Next.js route handlers, Hono, Bun, Deno. */
  get fetch() {
    return async (request) => {
      const answer = request.method !== 'POST' ? answerOf(this.#native.methodNotAllowed()) : await this.#fetchBody(request);
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    };
  }

  async #fetchBody(request) {
    const cap = this.#native.maxBodyBytes;
    if (Number(request.headers.get('content-length') ?? 0) > cap) return answerOf(this.#native.tooLarge());
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > cap) return answerOf(this.#native.tooLarge());
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
    if (req.method !== 'POST') return answerOf(this.#native.methodNotAllowed());
    if (req.body !== undefined && req.body !== null && !(typeof req.body === 'string' || Buffer.isBuffer(req.body))) {
      // Express with express.json(): an object, not the bytes Omega sent (or an empty one from
      // a parser that skipped this content type but has drained the stream).
      if (req.readableEnded || Object.keys(req.body).length > 0) return answerOf(this.#native.bodyConsumed());
    }
    if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) {
      if (Buffer.byteLength(req.body) > this.#native.maxBodyBytes) return answerOf(this.#native.tooLarge());
      return this.handle(req.body, req.headers);
    }
    const body = await readBody(req, this.#native.maxBodyBytes);
    if (body === null) return answerOf(this.#native.tooLarge());
    return this.handle(body, req.headers);
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
