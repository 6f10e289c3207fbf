// `make dist`, npm side: the packages in napi-rs' layout, packed into an output folder.
//
//   node bindings/node/scripts/dist.mjs BINARY OUT_DIR
//
// - `omega-webhooks-linux-x64-gnu`: the platform package (made by `napi create-npm-dirs` from
//   package.json's napi targets, with os/cpu/libc) holding BINARY, the addon built for
//   glibc >= 2.17;
// - `omega-webhooks`: the main package (JS, types, no binary) with an optional dependency on each
//   platform package; its loader names the missing platform package on any other platform.
//
// The repository's package.json stays the development package (private, binary included, as
// `npm run build` makes it); this script stages publishable copies under target/dist-npm.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [binary, outDir] = process.argv.slice(2).map((p) => resolve(p));
if (!binary || !outDir) throw new Error('usage: dist.mjs BINARY OUT_DIR');

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const stage = join(ROOT, 'target', 'dist-npm', manifest.name);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
mkdirSync(outDir, { recursive: true });

// The main package: every file of `files` but the binaries, and no development fields.
// (`files` names each file but the binaries' pattern.)
const files = manifest.files.filter((pattern) => !pattern.endsWith('.node'));
for (const file of files) {
  mkdirSync(dirname(join(stage, file)), { recursive: true });
  copyFileSync(join(ROOT, file), join(stage, file));
}
for (const file of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE']) cpSync(join(ROOT, file), join(stage, file));
const { private: _private, scripts: _scripts, devDependencies: _dev, ...published } = manifest;
const binaryName = manifest.napi.binaryName;
const platforms = ['linux-x64-gnu'];
published.files = [...files, 'LICENSE-MIT', 'LICENSE-APACHE'];
published.optionalDependencies = Object.fromEntries(platforms.map((p) => [`${manifest.name}-${p}`, manifest.version]));
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);

// The platform package, from napi-rs' own template, with the binary.
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
execFileSync(npx, ['napi', 'create-npm-dirs', '--cwd', stage, '--npm-dir', 'npm'], { cwd: ROOT, stdio: 'inherit' });
const platformDir = join(stage, 'npm', 'linux-x64-gnu');
copyFileSync(binary, join(platformDir, `${binaryName}.linux-x64-gnu.node`));
for (const file of ['LICENSE-MIT', 'LICENSE-APACHE']) cpSync(join(ROOT, file), join(platformDir, file));
const platformManifest = JSON.parse(readFileSync(join(platformDir, 'package.json'), 'utf8'));
platformManifest.files = [...platformManifest.files, 'LICENSE-MIT', 'LICENSE-APACHE'];
writeFileSync(join(platformDir, 'package.json'), `${JSON.stringify(platformManifest, null, 2)}\n`);

for (const dir of [stage, platformDir]) {
  execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
}
