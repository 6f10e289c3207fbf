// Type declarations of omega-webhooks for Node (hand-written; checked against the JSON Schemas
// and the fixtures by bindings/node/tests/types.test.mjs). The error classes (errors.d.ts) and
// the literal unions (literals.d.ts) are generated from the Rust definitions.
//
// Results are plain objects with the wire field names: the normalized JSON that the CLI's
// `--json` and Python's `to_dict()` give. Every known field is present (null when absent);
// fields the SDK does not know are kept as extra keys.

import type { KnownEventType, KnownVideoStatus } from './literals.js';
import type { OmegaError } from './error-base.js';

export type { KnownEventType, KnownVideoStatus } from './literals.js';
export * from './errors.js';

/** The type of a webhook event: a known value, or a new one kept as received. */
export type EventType = KnownEventType | (string & {});

/** The processing status of a video: a known value, or a new one kept as received. */
export type VideoStatus = KnownVideoStatus | (string & {});

/** A webhook event Omega Stream delivered (or tried to deliver) to an endpoint. */
export interface Event {
  /** Event document id. */
  id: string;
  /** RFC 3339 creation time as received (the list call sends `0001-01-01T00:00:00Z`); null when absent. */
  created_at: string | null;
  /** The company's Omega id (the list call's `ocid`). */
  coid: string;
  /** Omega API version used to render the event. */
  api_version: string;
  /** Creation time in Unix seconds. */
  created: number;
  /** What happened, e.g. `video.process_succeeded`. */
  type: EventType;
  /** Id of the webhook endpoint. */
  endpoint_id: string;
  /** The video the event is about; null in the list call. */
  data: EventData | null;
  /** The endpoint's answer to the webhook POST; null in the list call. */
  response: EventResponse | null;
  [unknownField: string]: unknown;
}

/** The data of an event: `{ video }` (a bare video is normalized to this shape), or `{}`. */
export interface EventData {
  video?: Video;
  [unknownField: string]: unknown;
}

/** The customer endpoint's answer to the webhook POST request. */
export interface EventResponse {
  status_code: number;
  /** Status line, e.g. `200 OK`. */
  status: string;
  body: string;
  message: string;
  [unknownField: string]: unknown;
}

/** A video on the Omega Stream platform. */
export interface Video {
  id: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  title: string;
  uuid: string;
  coid: string;
  status: VideoStatus;
  privacy: string | null;
  entity_tag: string | null;
  playback: Playback | null;
  playback_v2: Playback | null;
  input: VideoInput | null;
  /** Seconds. */
  duration: number | null;
  /** Bytes (may exceed 2^32; exact up to 2^53). */
  size: number | null;
  ready_to_stream: boolean;
  thumbnail: string | null;
  thumbnail_timestamp_pct: number | null;
  storage: Storage | null;
  /** String metadata; the reason of a failed processing is in `failure`. */
  meta: Record<string, string>;
  collection_id: string | null;
  [unknownField: string]: unknown;
}

/** Where each rendition of a processed video is stored or streamed from. */
export interface Playback {
  hls: string | null;
  dash: string | null;
  audio: string | null;
  r_1080p: string | null;
  r_720p: string | null;
  r_480p: string | null;
  r_360p: string | null;
  r_240p: string | null;
  [unknownField: string]: unknown;
}

/** Dimensions of the uploaded source file, in pixels. */
export interface VideoInput {
  width: number;
  height: number;
  [unknownField: string]: unknown;
}

/** The storage buckets of a video. */
export interface Storage {
  bucket: string;
  raw_bucket: string;
  provider: string | null;
  source: StorageSource | null;
  meta: Record<string, string> | null;
  [unknownField: string]: unknown;
}

/** The uploaded source object of a video. */
export interface StorageSource {
  key: string;
  size: number;
  [unknownField: string]: unknown;
}

/** Options of a `Client`; `apiKey` and `baseUrl` default to `OMEGA_API_KEY` and `OMEGA_BASE_URL`. */
export interface ClientOptions {
  apiKey?: string;
  /** Default `https://api.omegastream.net/company`; a path prefix and trailing slash are fine. */
  baseUrl?: string;
  /** Timeout of one attempt in milliseconds (default 30,000). */
  timeoutMs?: number;
  /** Timeout of connecting in milliseconds (default 10,000). */
  connectTimeoutMs?: number;
  /** Deadline of a whole call, retries included, in milliseconds. */
  totalTimeoutMs?: number;
  /** Retries of connection errors, timeouts, 408, 409, 429 and 5xx (default 2). */
  maxRetries?: number;
  /** Backoff before the first retry in milliseconds (default 500; doubles up to 8 s). */
  retryInitialDelayMs?: number;
  /** Cap of a response body in bytes (default 64 MiB). */
  maxResponseBytes?: number;
  /** Allow the key over plain `http://` to hosts other than loopback (default false). */
  allowInsecureHttp?: boolean;
}

/** Per-call options. */
export interface RequestOptions {
  /** Aborts the call: it rejects with the signal's reason (an `AbortError` by default). */
  signal?: AbortSignal;
}

/** A point in time: a `Date`, an RFC 3339 string, or a number of milliseconds before now. */
export type When = Date | string | number;

/** Options of `listEvents`: client-side filters. */
export interface ListOptions extends RequestOptions {
  /** Only events of these types (a lone string is one type). */
  types?: string | readonly string[];
  /** Only events created at or after this time. */
  since?: When;
  /** Only events created at or before this time. */
  until?: When;
}

/** Options of `getEvents`. */
export interface GetEventsOptions extends RequestOptions {
  /** Details fetched at once, 1 to 256 (default `DEFAULT_CONCURRENCY`). */
  concurrency?: number;
}

/** One item of `getEvents`, settled like `Promise.allSettled`'s. */
export type EventResult = { status: 'fulfilled'; value: Event } | { status: 'rejected'; reason: OmegaError };

/** Options of `replay`. */
export interface ReplayOptions extends RequestOptions {
  /** Allow a plain-http receiver that is not on loopback. */
  allowInsecureHttp?: boolean;
}

/** What a receiver answered to one replay. */
export interface ReplayResult {
  eventId: string;
  /** The receiver's HTTP status. */
  status: number;
  /** The receiver's body (cut to 8 KiB). */
  body: string;
  elapsedMs: number;
  /** Whether the receiver answered 2xx. */
  ok: boolean;
}

/** Options of `follow`. */
export interface FollowOptions extends RequestOptions {
  /** Time between polls of the list in milliseconds (default `DEFAULT_POLL_INTERVAL_MS`). */
  intervalMs?: number;
  /** Also yield, first, the events created since this time (a backfill). */
  since?: When;
  /** A JSON file that keeps the ids already handled, so a restart loses and repeats nothing. */
  state?: string;
  /** Only events of these types (a lone string is one type). */
  types?: string | readonly string[];
}

/** Options of `waitForEvent`. */
export interface WaitForEventOptions extends RequestOptions {
  /** The type to wait for, or several (any of them). */
  type: string | readonly string[];
  /** Count events created since this time (default: now). */
  since?: When;
  /** Reject with `APITimeoutError` after this long, in milliseconds (default `DEFAULT_WAIT_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Time between polls of the list in milliseconds (default `DEFAULT_POLL_INTERVAL_MS`). */
  intervalMs?: number;
  /** Picks among the candidates (called on this thread; may be async); its errors reject the wait. */
  where?: (event: Event) => boolean | Promise<boolean>;
  /** Only an event whose delivery succeeded, in full (each candidate's details are read). */
  delivered?: boolean;
}

/** Client of the Omega Stream webhook events API. Requests never block the event loop. */
export declare class Client {
  constructor(options?: ClientOptions);
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /** Whether `close()` was called. */
  readonly closed: boolean;
  /** Closes the pooled connections now; later calls reject with a `ConfigurationError`. */
  close(): void;
  /** The events delivered to a webhook endpoint (`data` and `response` are null), optionally filtered. */
  listEvents(endpointId: string, options?: ListOptions): Promise<Event[]>;
  /** Many events in full, in the order of `eventIds`, each settled on its own. */
  getEvents(endpointId: string, eventIds: Iterable<string>, options?: GetEventsOptions): Promise<EventResult[]>;
  /** The events (in full) whose delivery failed or has no answer, among those that pass the filters. */
  failedDeliveries(endpointId: string, options?: ListOptions & { concurrency?: number }): Promise<Event[]>;
  /** The delivery health of the events that pass the filters: counts per bucket and type,
   * and the failures grouped by status and cause (the CLI's `events stats --json`). */
  deliveryStats(endpointId: string, options?: DeliveryStatsOptions): Promise<DeliveryStats>;
  /** POSTs `event` to a receiver you control (never with the API key). */
  replay(event: Event, url: string, options?: ReplayOptions): Promise<ReplayResult>;
  /** One event in full. */
  getEvent(endpointId: string, eventId: string, options?: RequestOptions): Promise<Event>;
  /** New events as they arrive, oldest first: an endless async iterator (an event counts as
   * handled when the next one is asked for); the signal ends it with its reason. */
  follow(endpointId: string, options?: FollowOptions): AsyncGenerator<Event, void, undefined>;
  /** The first new event of a type, or an `APITimeoutError` after `timeoutMs`. */
  waitForEvent(endpointId: string, options: WaitForEventOptions): Promise<Event>;
}

/** Whether an event's delivery succeeded: true (2xx), false (any other status), null (no answer). */
export declare function delivered(event: Event): boolean | null;

/** Parses an incoming webhook body; throws `WebhookPayloadError` with the JSON path of the problem. */
export declare function parseEvent(body: string | Uint8Array): Event;

/** Options of `deliveryStats`: the filters, the bucket width, and details fetched at once. */
export interface DeliveryStatsOptions extends ListOptions {
  /** Width of the time buckets, UTC (default `'day'`). */
  by?: 'day' | 'hour';
  /** Details fetched at once (1 to 256; default `DEFAULT_CONCURRENCY`). */
  concurrency?: number;
}

/** How the deliveries of a set of events went. */
export interface Counts {
  /** Events counted. */
  events: number;
  /** Deliveries the receiver answered 2xx. */
  delivered: number;
  /** Deliveries the receiver answered with any other status. */
  failed: number;
  /** Deliveries with no recorded answer. */
  unknown: number;
  /** `(failed + unknown) / events` (0 without events). */
  failure_rate: number;
}

/** The deliveries of the events created in one time bucket. */
export interface Bucket extends Counts {
  /** The bucket's start, Unix seconds (UTC). */
  start: number;
}

/** The deliveries of the events of one type. */
export interface TypeCounts extends Counts {
  /** The event type (known or not). */
  type: EventType;
}

/** Failed or unanswered deliveries with the same receiver status and cause. */
export interface FailureGroup {
  /** The receiver's HTTP status; null for deliveries with no answer. */
  status_code: number | null;
  /** The first line of the receiver's body (an HTML page's title), ids and numbers masked as `#`. */
  cause: string;
  /** Deliveries in the group. */
  count: number;
  /** Creation time of its oldest event, Unix seconds. */
  first_seen: number;
  /** Creation time of its newest event, Unix seconds. */
  last_seen: number;
  /** The event types involved, sorted. */
  types: EventType[];
  /** Up to 3 of its event ids, the newest first. */
  examples: string[];
}

/** The delivery health of an endpoint over a window (`schemas/delivery-stats.schema.json`). */
export interface DeliveryStats {
  /** The webhook endpoint. */
  endpoint_id: string;
  /** The window's start, Unix seconds; null: from the first event. */
  since: number | null;
  /** The window's end, Unix seconds; null: to the last event. */
  until: number | null;
  /** The event types looked at; empty: every type. */
  filter_types: EventType[];
  /** The width of the buckets. */
  by: 'day' | 'hour';
  /** All the events of the window. */
  totals: Counts;
  /** The buckets that hold events, oldest first. */
  buckets: Bucket[];
  /** Counts per event type, sorted by type. */
  types: TypeCounts[];
  /** The failure groups, the largest first. */
  groups: FailureGroup[];
  /** Events listed but whose details could not be read (not counted). */
  unreadable: number;
}

/** Details fetched at once when `concurrency` is not given (`getEvents`, `failedDeliveries`, `deliveryStats`). */
export declare const DEFAULT_CONCURRENCY: number;
/** Milliseconds between polls when `intervalMs` is not given (`follow`, `waitForEvent`). */
export declare const DEFAULT_POLL_INTERVAL_MS: number;
/** Milliseconds `waitForEvent` waits when `timeoutMs` is not given. */
export declare const DEFAULT_WAIT_TIMEOUT_MS: number;

/** What became of a delivery (the same names in Rust, Python and Node). */
export type Outcome =
  | 'handled'
  | 'unhandled'
  | 'invalid'
  | 'too_large'
  | 'failed'
  | 'forged'
  | 'unverified'
  | 'method_not_allowed'
  | 'body_consumed'
  | 'duplicate'
  | 'in_progress'
  | 'store_unavailable';

/** A receiver's answer: what to send back to Omega (one line of text, at most 200 bytes). */
export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
  outcome: Outcome;
  /** The event, when the body was one (with `verify`, the API's copy). */
  event: Event | null;
}

/** Options of a `Receiver`. */
export interface ReceiverOptions {
  /** The largest body accepted, in bytes (default 1 MiB); larger is answered 413. */
  maxBodyBytes?: number;
  /** Add the first line of a failed handler's message to its 500 answer (default: its class only). */
  exposeErrors?: boolean;
  /** Verify each delivery with the API through this client: handlers get the API's copy; an
   * event the API does not know is answered 403 and no handler runs. */
  verify?: Client;
  /** Accept deliveries for these endpoints only (others are answered 403). */
  endpoints?: string[];
  /** Handle each event once across the workers sharing the store: `'memory'` (this process),
   * `'sqlite:///path/to/seen.db'` (one machine) or `'redis://host:port/db'` (several machines).
   * A delivery of an event already handled answers `duplicate` (200), one another worker is
   * handling `in_progress` (409), and a store that cannot be asked `store_unavailable` (503). */
  dedupe?: string;
  /** How long a claim holds while a handler runs, in ms (default 60,000): a worker killed
   * inside a handler blocks its event this long. */
  leaseMs?: number;
  /** How long a handled event is remembered, in ms (default 7 days). */
  rememberMs?: number;
}

/** An event whose `type` is `T`. */
export type EventOf<T extends string> = Event & { type: T };

/** A handler: plain or async; what it returns is ignored, what it throws is the 500 answer. */
export type Handler<E extends Event = Event> = (event: E) => unknown;

/** The webhook receiver Omega POSTs to: handlers by event type, and `fetch` and `node:http` adapters. */
export declare class Receiver {
  constructor(options?: ReceiverOptions);
  /** The handler of one event type or several (known or not). */
  on<T extends EventType>(type: T | readonly T[], handler: Handler<EventOf<T>>): this;
  /** The handler of every event without a handler of its own. */
  onAny(handler: Handler): this;
  /** Receives one delivery (the body as Omega sent it) and resolves to the answer to send. */
  handle(
    body: string | Uint8Array,
    headers?: Record<string, string | string[] | undefined> | Headers | Map<string, string> | Iterable<[string, string]>,
    options?: RequestOptions,
  ): Promise<Answer>;
  /** `(Request) => Promise<Response>`: Next.js route handlers, Hono, Bun, Deno. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** `(req, res)`: a `node:http` request listener and Express middleware. */
  readonly node: (req: NodeRequest, res: NodeResponse) => void;
}

/** What `receiver.node` reads of a `node:http` `IncomingMessage` (Express's request included). */
export interface NodeRequest {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Set by a body parser: a Buffer (`express.raw`) or string is used; a parsed object is refused. */
  body?: unknown;
  on(event: 'data' | 'end' | 'error', listener: (...args: any[]) => void): unknown;
}

/** What `receiver.node` writes to a `node:http` `ServerResponse`. */
export interface NodeResponse {
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/** Helpers for testing your own code. */
export declare namespace testing {
  /** Options of `eventBody`. */
  interface EventBodyOptions {
    /** Dotted paths (`'data.video.title'`) to JSON values. */
    set?: Record<string, unknown>;
    /** The same seed gives the same bytes. */
    seed?: number;
  }
  /** The mock Omega API running in this process. */
  interface MockServer {
    baseUrl: string;
    apiKey: string;
    endpointId: string;
    close(): void;
  }
  /** The body Omega would POST for a realistic event of `type` (the generator of `omega-webhooks trigger`). */
  function eventBody(type: EventType, options?: EventBodyOptions): Uint8Array;
  /** Starts the mock Omega API on a free loopback port of this process. */
  function startMock(options?: { events?: number; seed?: number }): Promise<MockServer>;
}
