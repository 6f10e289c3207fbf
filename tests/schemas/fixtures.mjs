// Loads the shared fixtures (fixtures/) for the Node schema checks.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The schema `schemas/<stem>.schema.json` (or `openapi.json` for `openapi`). */
export const schema = (stem) =>
  readJson(join(ROOT, 'schemas', stem === 'openapi' ? 'openapi.json' : `${stem}.schema.json`));

/** Every valid fixture of a kind (`events` or `lists`), wire and normalized forms. */
export function validFixtures(kind) {
  const out = [];
  for (const form of ['wire', 'normalized']) {
    const dir = join(ROOT, 'fixtures', kind, form);
    for (const file of readdirSync(dir).sort()) {
      out.push({ name: `${kind}/${form}/${file}`, value: readJson(join(dir, file)) });
    }
  }
  return out;
}

/** The invalid fixtures with what the schema must say of each. */
export function invalidFixtures() {
  const dir = join(ROOT, 'fixtures', 'invalid');
  return readJson(join(dir, 'cases.json')).map((c) => ({
    ...c,
    text: readFileSync(join(dir, c.file), 'utf8'),
  }));
}
