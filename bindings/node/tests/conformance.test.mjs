// Every case of fixtures/conformance/ through the Node Client, against the real mock server.
// A malformed case fails; none is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ow from '../index.mjs';
import { ROOT, MOCK_KEY, readJson, startMock } from './helpers.mjs';

const KNOWN = {
  case: ['description', 'call', 'endpoint_id', 'event_id', 'event_ids', 'filter', 'options', 'script', 'second_mock', 'by', 'expect'],
  filter: ['types', 'since', 'until'],
  options: ['api_key', 'base_url', 'timeout_ms', 'max_retries', 'retry_initial_delay_ms', 'max_response_bytes'],
  expect: ['result', 'result_subset', 'result_len', 'result_ids', 'outcomes', 'error', 'requests', 'mock2_requests', 'request', 'min_elapsed_ms', 'max_elapsed_ms'],
  error: ['class', 'status', 'message', 'message_contains', 'body_contains', 'request_id', 'retry_after_s', 'path'],
};

const dir = join(ROOT, 'fixtures', 'conformance');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function checkKeys(name, object, known) {
  for (const key of Object.keys(object ?? {})) assert.ok(known.includes(key), `${name}: unknown key ${key}`);
}

function prepare(value, mock, mock2) {
  if (typeof value === 'string') return value.replaceAll('{mock2}', mock2).replaceAll('{mock}', mock);
  if (Array.isArray(value)) return value.map((v) => prepare(v, mock, mock2));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'body_fixture') {
        const text = readFileSync(join(ROOT, item), 'utf8');
        try {
          out.body = JSON.parse(text);
        } catch {
          out.body = text;
        }
      } else {
        out[key] = prepare(item, mock, mock2);
      }
    }
    return out;
  }
  return value;
}

function assertSubset(value, subset, where) {
  if (subset && typeof subset === 'object' && !Array.isArray(subset)) {
    for (const [key, want] of Object.entries(subset)) assertSubset(value?.[key], want, `${where}.${key}`);
  } else {
    assert.deepEqual(value, subset, where);
  }
}

/** An event's delivery outcome as the cases name it (see the README). */
const outcome = (event) => ({ true: 'delivered', false: 'failed', null: 'unknown' })[String(ow.delivered(event))];

/** Makes the case's call: its result, and each item's outcome. */
async function call(client, kase) {
  const filter = kase.filter ?? {};
  switch (kase.call) {
    case 'list_events':
    case 'failed_deliveries': {
      const method = kase.call === 'list_events' ? 'listEvents' : 'failedDeliveries';
      const result = await client[method](kase.endpoint_id, filter);
      return { result, outcomes: result.map(outcome) };
    }
    case 'get_events': {
      const settled = await client.getEvents(kase.endpoint_id, kase.event_ids);
      return {
        result: settled.map((item) => item.value ?? null),
        outcomes: settled.map((item) => (item.status === 'fulfilled' ? outcome(item.value) : item.reason.name)),
      };
    }
    case 'delivery_stats':
      return { result: await client.deliveryStats(kase.endpoint_id, { ...filter, by: kase.by }), outcomes: [] };
    default:
      return { result: await client.getEvent(kase.endpoint_id, kase.event_id), outcomes: [] };
  }
}

test('the conformance suite is complete', () => assert.ok(files.length >= 40));

for (const file of files) {
  test(`conformance: ${file}`, async () => {
    const kase = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    checkKeys(file, kase, KNOWN.case);
    checkKeys(file, kase.options, KNOWN.options);
    checkKeys(file, kase.filter, KNOWN.filter);
    checkKeys(file, kase.expect, KNOWN.expect);
    checkKeys(file, kase.expect.error, KNOWN.error);
    const { expect } = kase;
    const mock = await startMock('--events', '20');
    const mock2 = kase.second_mock ? await startMock() : null;
    try {
      if (kase.script) await mock.script(prepare(kase.script, mock.url, mock2?.url ?? ''));
      const o = kase.options ?? {};
      const started = performance.now();
      let result;
      let outcomes = [];
      let error;
      try {
        const client = new ow.Client({
          apiKey: o.api_key ?? MOCK_KEY,
          baseUrl: (o.base_url ?? '{mock}').replace('{mock}', mock.url),
          timeoutMs: o.timeout_ms,
          maxRetries: o.max_retries,
          retryInitialDelayMs: o.retry_initial_delay_ms ?? 10,
          maxResponseBytes: o.max_response_bytes,
        });
        ({ result, outcomes } = await call(client, kase));
      } catch (e) {
        error = e;
      }
      const elapsed = performance.now() - started;
      if (!expect.error) {
        assert.equal(error, undefined, `unexpected ${error?.name}: ${error?.message}`);
        assert.ok(['result', 'result_subset', 'result_len', 'result_ids', 'outcomes'].some((k) => k in expect));
        if (expect.result) assert.deepEqual(result, readJson(expect.result));
        if (expect.result_subset) assertSubset(result, expect.result_subset, 'result');
        if ('result_len' in expect) assert.equal(result.length, expect.result_len);
        if ('result_ids' in expect) assert.deepEqual(result.map((e) => e.id), expect.result_ids);
        if ('outcomes' in expect) assert.deepEqual(outcomes, expect.outcomes);
      } else {
        const want = expect.error;
        assert.ok(error, `expected ${want.class}, got a result`);
        assert.equal(error.name, want.class, error.message);
        assert.ok(error instanceof ow[want.class] && error instanceof ow.OmegaError && error instanceof Error);
        if ('status' in want) assert.equal(error.status, want.status);
        if ('message' in want) assert.equal(error.apiMessage, want.message);
        if ('message_contains' in want) assert.ok(error.message.includes(want.message_contains), error.message);
        if ('body_contains' in want) assert.ok((error.body ?? '').includes(want.body_contains));
        if ('request_id' in want) assert.equal(error.requestId, want.request_id);
        if ('retry_after_s' in want) assert.equal(error.retryAfter, want.retry_after_s);
        if ('path' in want) assert.equal(error.path, want.path);
      }
      const requests = await mock.requests();
      assert.equal(requests.length, expect.requests, JSON.stringify(requests));
      const wantRequest = expect.request ?? {};
      for (const request of requests) {
        if ('path' in wantRequest) assert.equal(request.path, wantRequest.path);
        if ('query' in wantRequest) assert.equal(request.query, wantRequest.query);
        for (const [name, value] of Object.entries(wantRequest.headers ?? {})) assert.equal(request.headers[name], value, name);
        for (const [name, prefix] of Object.entries(wantRequest.header_prefixes ?? {})) {
          assert.ok((request.headers[name] ?? '').startsWith(prefix), name);
        }
      }
      if (mock2 && 'mock2_requests' in expect) assert.equal((await mock2.requests()).length, expect.mock2_requests);
      if ('min_elapsed_ms' in expect) assert.ok(elapsed >= expect.min_elapsed_ms, `took ${elapsed} ms`);
      if ('max_elapsed_ms' in expect) assert.ok(elapsed <= expect.max_elapsed_ms, `took ${elapsed} ms`);
    } finally {
      await mock.stop();
      await mock2?.stop();
    }
  });
}
