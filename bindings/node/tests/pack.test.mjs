// `npm pack` produces a tarball that installs into an empty project, where both
// `require('omega-webhooks')` and `import ... from 'omega-webhooks'` work against the mock, and
// the typed usage example type-checks against the installed declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOCK_KEY, ROOT, startMock, typecheck } from './helpers.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('the packed tarball installs and works from require and import', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'omega-node-pack-'));
  const mock = await startMock();
  try {
    execFileSync(npm, ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT, stdio: 'pipe' });
    const [tarball] = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name": "consumer", "version": "1.0.0", "private": true}\n');
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { cwd: project, stdio: 'pipe' });

    const env = { ...process.env, OMEGA_API_KEY: MOCK_KEY, OMEGA_BASE_URL: mock.url };
    const cjs = `const ow = require('omega-webhooks');
      new ow.Client().listEvents('6336cd2b5790c27875f70d96').then((events) => {
        if (!(ow.parseEvent('{"id":"e","coid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p"}').id === 'e')) process.exit(3);
        console.log('cjs', events.length, events[0].coid);
      });`;
    assert.equal(execFileSync(process.execPath, ['-e', cjs], { cwd: project, env, encoding: 'utf8' }).trim(), 'cjs 2 omega-cop-KoNef9DB5i');
    const esm = `import { Client, NotFoundError } from 'omega-webhooks';
      try { await new Client().getEvent('6336cd2b5790c27875f70d96', 'nope'); }
      catch (e) { console.log('esm', e instanceof NotFoundError, e.status); }`;
    writeFileSync(join(project, 'check.mjs'), esm);
    assert.equal(execFileSync(process.execPath, ['check.mjs'], { cwd: project, env, encoding: 'utf8' }).trim(), 'esm true 404');

    copyFileSync(join(ROOT, 'bindings/node/tests/typed-usage.ts'), join(project, 'typed-usage.ts'));
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(project, 'node_modules', '@types'), 'dir');
    typecheck(project, ['typed-usage.ts']);
  } finally {
    await mock.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
