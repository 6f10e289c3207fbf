// A typed program using every export of omega-webhooks; `tsc --noEmit --strict` must accept it
// (types.test.mjs and, from an installed tarball, pack.test.mjs).
import {
  APIConnectionError,
  APIResponseValidationError,
  APIStatusError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  Client,
  ConfigurationError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  OmegaError,
  PermissionDeniedError,
  RateLimitError,
  Receiver,
  UnprocessableEntityError,
  WebhookPayloadError,
  delivered,
  parseEvent,
  testing,
} from 'omega-webhooks';
import type {
  Answer,
  ClientOptions,
  DeliveryStats,
  FailureGroup,
  Event,
  EventData,
  EventResponse,
  EventResult,
  FollowOptions,
  WaitForEventOptions,
  EventType,
  KnownEventType,
  KnownVideoStatus,
  Outcome,
  Playback,
  ReplayResult,
  RequestOptions,
  Storage,
  StorageSource,
  Video,
  VideoInput,
  VideoStatus,
} from 'omega-webhooks';

const options: ClientOptions = { apiKey: 'k', baseUrl: 'http://127.0.0.1:1', timeoutMs: 5_000, maxRetries: 1 };
const client = new Client(options);
const base: string = client.baseUrl;

function describe(event: Event): string {
  const type: EventType = event.type;
  const known: KnownEventType | undefined = type === 'video.process_failed' ? 'video.process_failed' : undefined;
  const data: EventData | null = event.data;
  const response: EventResponse | null = event.response;
  const video: Video | undefined = data?.video;
  const status: VideoStatus | undefined = video?.status;
  const failed: KnownVideoStatus = 'process-failed';
  const playback: Playback | null = video?.playback ?? null;
  const input: VideoInput | null = video?.input ?? null;
  const storage: Storage | null = video?.storage ?? null;
  const source: StorageSource | null = storage?.source ?? null;
  const size: number | null = video?.size ?? null;
  const createdAt: string | null = event.created_at;
  return [event.id, event.coid, event.created, known, response?.status_code, status === failed, playback?.hls,
    input?.width, source?.key, size, createdAt, video?.meta['failure'], base].join(' ');
}

async function main(signal: AbortSignal): Promise<Event[]> {
  const request: RequestOptions = { signal };
  const events: Event[] = await client.listEvents('6336cd2b5790c27875f70d96', request);
  const full: Event = await client.getEvent(events[0].endpoint_id, events[0].id, { signal });
  console.log(describe(full), describe(parseEvent('{}')), describe(parseEvent(Buffer.from('{}'))));
  return events;
}

function handle(error: unknown): string {
  if (error instanceof WebhookPayloadError || error instanceof APIResponseValidationError) return error.path ?? '';
  if (error instanceof RateLimitError) return String(error.retryAfter);
  if (error instanceof APITimeoutError || error instanceof APIConnectionError) return error.message;
  if (
    error instanceof BadRequestError || error instanceof AuthenticationError || error instanceof PermissionDeniedError ||
    error instanceof NotFoundError || error instanceof ConflictError || error instanceof UnprocessableEntityError ||
    error instanceof InternalServerError
  ) {
    const status: number = error.status;
    return `${status} ${error.requestId} ${error.body} ${error.headers['x-request-id']}`;
  }
  if (error instanceof APIStatusError) return String(error.status);
  if (error instanceof ConfigurationError) return error.message;
  if (error instanceof OmegaError) return String(error.attempts);
  return 'other';
}

// @ts-expect-error the key must be a string
new Client({ apiKey: 42 });
// @ts-expect-error ids are strings
client.getEvent('endpoint', 7);

// Delivery operations, typed.
async function triage(events: Event[]): Promise<number> {
  const recent = await client.listEvents('endpoint', { types: ['video.process_failed'], since: 24 * 3600 * 1000 });
  const settled: EventResult[] = await client.getEvents('endpoint', recent.map((e) => e.id), { concurrency: 4 });
  let failed = 0;
  for (const item of settled) {
    if (item.status === 'fulfilled' && delivered(item.value) === false) failed++;
    if (item.status === 'rejected') failed += item.reason.attempts;
  }
  const answer: ReplayResult = await client.replay(events[0], 'http://127.0.0.1:3000/hooks', { allowInsecureHttp: false });
  const unanswered: Event[] = await client.failedDeliveries('endpoint', { since: new Date(), concurrency: 2 });
  const health: DeliveryStats = await client.deliveryStats('endpoint', { since: 7 * 86_400_000, by: 'hour', types: ['video.deleted'] });
  const worst: FailureGroup | undefined = health.groups[0];
  const rates: number[] = health.buckets.map((b) => b.failure_rate + b.start);
  const status: number | null = worst ? worst.status_code : null;
  return failed + unanswered.length + (answer.ok ? 0 : answer.status) + rates.length + (status ?? 0) + health.totals.unknown;
}
// @ts-expect-error since is a Date, a string or a number
client.listEvents('endpoint', { since: true });
// @ts-expect-error buckets are hours or days
client.deliveryStats('endpoint', { by: 'week' });

// follow and waitForEvent, typed.
async function watch(signal: AbortSignal): Promise<Event> {
  const options: FollowOptions = { intervalMs: 1000, since: '2026-11-29T00:00:00Z', state: 'follow.json', types: 'video.deleted', signal };
  for await (const event of client.follow('endpoint', options)) {
    if (event.type === 'video.deleted') return event;
  }
  const waiting: WaitForEventOptions = { type: ['video.ready_to_watch'], timeoutMs: 60_000, delivered: true };
  return client.waitForEvent('endpoint', { ...waiting, where: async (e: Event) => e.data !== null });
}
// @ts-expect-error waitForEvent needs a type
client.waitForEvent('endpoint', { timeoutMs: 5 });

// The receiver: handlers narrowed by type, the answer, the adapters and the test helpers.
const receiver = new Receiver({ maxBodyBytes: 1 << 20, exposeErrors: false, verify: client, endpoints: ['endpoint'] });
receiver.on('video.process_failed', (event) => {
  const kind: 'video.process_failed' = event.type;
  return kind;
});
receiver.on(['video.deleted', 'video.failed_to_delete'], async (event) => {
  const kind: 'video.deleted' | 'video.failed_to_delete' = event.type;
  return kind;
});
receiver.on('video.transcribed', (event) => event.id).onAny((event: Event) => event.type);
const once = new Receiver({ dedupe: 'sqlite:///var/lib/app/seen.db', leaseMs: 30_000, rememberMs: 86_400_000 });
const settled: Outcome[] = ['duplicate', 'in_progress', 'store_unavailable'];
once.onAny(() => settled);
async function receive(body: Uint8Array): Promise<number> {
  const answer: Answer = await receiver.handle(body, { 'content-type': 'application/json' });
  const outcome: Outcome = answer.outcome;
  const response: Response = await receiver.fetch(new Request('http://localhost/hooks', { method: 'POST', body: '{}' }));
  const test: Uint8Array = testing.eventBody('video.uploaded', { set: { 'data.video.title': 'Demo' }, seed: 7 });
  const mock: testing.MockServer = await testing.startMock({ events: 3 });
  mock.close();
  return answer.status + response.status + outcome.length + test.length;
}
// @ts-expect-error a handler's event is of the type it was registered for
receiver.on('video.deleted', (event) => { const wrong: 'video.uploaded' = event.type; return wrong; });

export { main, handle, triage, watch, receive };
