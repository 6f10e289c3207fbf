// parseEvent: every fixture deep-equal to its normalized JSON; invalid bodies throw with a path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvent, WebhookPayloadError, OmegaError } from '../index.mjs';
import { ROOT, readJson } from './helpers.mjs';

const wire = join(ROOT, 'fixtures', 'events', 'wire');

test('every fixture parses to its normalized JSON, from a string and from a Buffer', () => {
  const files = readdirSync(wire).sort();
  assert.ok(files.length >= 14);
  for (const file of files) {
    const buffer = readFileSync(join(wire, file));
    const want = readJson(`fixtures/events/normalized/${file}`);
    assert.deepEqual(parseEvent(buffer), want, file);
    assert.deepEqual(parseEvent(buffer.toString('utf8')), want, file);
  }
});

test('every invalid event body throws WebhookPayloadError at its path', () => {
  const cases = readJson('fixtures/invalid/cases.json').filter((c) => c.parse === 'event');
  assert.ok(cases.length >= 10);
  for (const c of cases) {
    const body = readFileSync(join(ROOT, 'fixtures', 'invalid', c.file));
    assert.throws(
      () => parseEvent(body),
      (e) => {
        assert.ok(e instanceof WebhookPayloadError && e instanceof OmegaError, c.file);
        assert.equal(e.path, c.path, c.file);
        assert.ok(e.message.includes(c.reason_contains), `${c.file}: ${e.message}`);
        return true;
      },
    );
  }
});

test('values keep their wire meaning', () => {
  const event = parseEvent(readFileSync(join(wire, 'size-over-2-32.json')));
  assert.equal(event.data.video.size, 5368709120);
  const unknown = parseEvent(readFileSync(join(wire, 'unknown-fields.json')));
  assert.equal(unknown.delivery_attempts, 3);
  assert.deepEqual(unknown.data.trace, { span: 'abc' });
  assert.equal(parseEvent(readFileSync(join(wire, 'fractional-seconds.json'))).created_at, '2022-09-15T21:07:22.823797Z');
});

test('wrong argument types are errors, never crashes', () => {
  for (const bad of [42, null, undefined, {}, ['x']]) assert.throws(() => parseEvent(bad));
  assert.throws(() => parseEvent(''), WebhookPayloadError);
  assert.throws(() => parseEvent(Buffer.from([0xff, 0xfe])), WebhookPayloadError);
});
