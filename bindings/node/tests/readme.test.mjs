// The README's Node examples (its ```js blocks under "## Node") run as written against the mock:
// each is saved as an ES module inside the package, where `import ... from 'omega-webhooks'`
// resolves to this package (self-reference through its "exports").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MOCK_KEY, ROOT, startMock } from './helpers.mjs';

const section = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n## Node\n')[1].split('\n## ')[0];
const examples = [...section.matchAll(/```js\n(.*?)```/gs)].map((m) => m[1]);
let mock;

before(async () => {
  mock = await startMock();
});
after(() => mock.stop());

test('the Node section has its examples', () => {
  assert.equal(examples.length, 5);
});

for (const [index, code] of examples.entries()) {
  test(`README example ${index + 1} runs`, async () => {
    const dir = join(ROOT, 'target', 'readme-examples');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `example-${index + 1}.mjs`);
    writeFileSync(file, code);
    const env = { ...process.env, OMEGA_API_KEY: MOCK_KEY, OMEGA_BASE_URL: mock.url };
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], { env, timeout: 60_000 });
    assert.ok(stdout.trim(), `the example prints something (stderr: ${stderr})`);
  });
}
