// The generated JSON Schemas, checked by ajv in draft 2020-12 strict mode against every
// fixture: valid ones (wire and normalized) validate, invalid ones that break the schema fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from './ajv.mjs';
import { validFixtures, invalidFixtures } from './fixtures.mjs';

const validators = { event: compile('event'), list: compile('event-list') };

test('every valid event fixture validates against event.schema.json', () => {
  const events = validFixtures('events');
  assert.ok(events.length >= 20);
  for (const { name, value } of events) {
    assert.ok(validators.event(value), `${name}: ${JSON.stringify(validators.event.errors)}`);
  }
});

test('every valid list fixture validates against event-list.schema.json, each item against event', () => {
  for (const { name, value } of validFixtures('lists')) {
    assert.ok(validators.list(value), `${name}: ${JSON.stringify(validators.list.errors)}`);
    for (const item of value) assert.ok(validators.event(item), name);
  }
});

test('invalid fixtures: those that break the schema are rejected, the others are documented', () => {
  for (const c of invalidFixtures()) {
    if (c.schema === 'not-json') {
      assert.throws(() => JSON.parse(c.text), SyntaxError, c.file);
      continue;
    }
    const validate = c.parse === 'list' ? validators.list : validators.event;
    const ok = validate(JSON.parse(c.text));
    assert.equal(ok, c.schema === 'accept', `${c.file}: schema says ${ok}, expected ${c.schema}`);
  }
});

test('event-type and video schemas compile in strict mode', () => {
  const eventType = compile('event-type');
  assert.ok(eventType('video.uploaded'));
  assert.ok(eventType('video.someday_new'), 'open to new event types');
  assert.ok(!eventType(42));
  const video = compile('video');
  assert.ok(!video({}));
});
