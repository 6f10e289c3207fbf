// TypeScript types generated from the schemas by json-schema-to-typescript must accept every
// valid fixture: each is written as a literal in a typed position and checked by tsc --strict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { compile } from 'json-schema-to-typescript';
import { ROOT, schema, validFixtures } from './fixtures.mjs';

const require = createRequire(import.meta.url);

test('types generated from the schemas type-check every fixture', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'omega-ts-'));
  try {
    for (const [stem, file] of [['event', 'event'], ['event-list', 'event_list']]) {
      const ts = await compile(schema(stem), stem, { bannerComment: '', additionalProperties: true });
      writeFileSync(join(dir, `${file}.ts`), ts);
    }
    const lines = ["import type { Event } from './event';", "import type { EventList } from './event_list';"];
    validFixtures('events').forEach(({ value }, i) => lines.push(`export const e${i}: Event = ${JSON.stringify(value)};`));
    validFixtures('lists').forEach(({ value }, i) => lines.push(`export const l${i}: EventList = ${JSON.stringify(value)};`));
    // The types must not be `any`: a wrong field type is refused.
    lines.push('// @ts-expect-error created must be a number');
    lines.push(`export const bad: Event = { ...e0, created: 'yesterday' };`);
    writeFileSync(join(dir, 'fixtures.ts'), lines.join('\n') + '\n');
    const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
    const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', join(dir, 'fixtures.ts')];
    try {
      execFileSync(process.execPath, args, { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
