// index.d.ts is hand-written: check it. `tsc --strict` accepts a program using every export,
// and every normalized fixture type-checks as an `Event`; index.d.ts's Event is assignable to
// the type json-schema-to-typescript generates from schemas/event.schema.json.
import { test } from 'node:test';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { ROOT, readJson, typecheck } from './helpers.mjs';

test('index.d.ts: typed usage, fixtures as Event, and agreement with the JSON Schema', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'omega-node-types-'));
  try {
    // A project where `omega-webhooks` resolves to this repository (its package.json exports).
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'omega-webhooks'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    copyFileSync(join(ROOT, 'bindings/node/tests/typed-usage.ts'), join(dir, 'typed-usage.ts'));

    const schemaTypes = await compile(readJson('schemas/event.schema.json'), 'event', { bannerComment: '' });
    writeFileSync(join(dir, 'schema-event.ts'), schemaTypes);
    const lines = [
      "import type { Event } from 'omega-webhooks';",
      "import type { Event as SchemaEvent } from './schema-event.js';",
      'declare const ours: Event;',
      'export const agrees: SchemaEvent = ours;',
    ];
    const normalized = join(ROOT, 'fixtures/events/normalized');
    readdirSync(normalized).sort().forEach((file, i) => {
      lines.push(`export const f${i}: Event = ${JSON.stringify(readJson(`fixtures/events/normalized/${file}`))};`);
    });
    lines.push('// @ts-expect-error `created` is a number', "export const bad: Event = { ...f0, created: 'x' };");
    writeFileSync(join(dir, 'fixtures.ts'), lines.join('\n') + '\n');
    typecheck(dir, ['typed-usage.ts', 'fixtures.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('index.d.ts type-checks in a project without @types/node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omega-node-no-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'omega-webhooks'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    writeFileSync(join(dir, 'plain.ts'), [
      "import { Client, parseEvent, NotFoundError, OmegaError, type KnownEventType } from 'omega-webhooks';",
      "const event = parseEvent(new TextEncoder().encode('{}'));",
      'const known: KnownEventType | undefined = undefined;',
      "export async function main(): Promise<number> {",
      "  try { await new Client().getEvent('e', event.id); } catch (e) {",
      '    if (e instanceof NotFoundError) { const status: number = e.status; return status; }',
      '    if (e instanceof OmegaError) return e.attempts;',
      '  }',
      '  return known === undefined ? 0 : 1;',
      '}',
    ].join('\n') + '\n');
    typecheck(dir, ['plain.ts'], { nodeTypes: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
