// The npm packages in napi-rs' layout, packed into an output folder:
//
//   node bindings/node/scripts/dist.mjs OUT_DIR --binary linux-x64-gnu=PATH   # make dist: this machine's
//   node bindings/node/scripts/dist.mjs OUT_DIR --from DIR   # the release: every target of
//                                                            # release/targets.json, DIR/omega-webhooks.NAME.node
//
// - `omega-webhooks-NAME`: one platform package per binary (made by `napi create-npm-dirs` from
//   package.json's napi targets, with os/cpu/libc);
// - `omega-webhooks`: the main package (JS, types, no binary) with an optional dependency on each
//   platform package packed; its loader names the missing platform package on any other platform.
//
// The repository's package.json stays the development package (private, binary included, as
// `npm run build` makes it); this script stages publishable copies under target/dist-npm.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const binaryName = manifest.napi.binaryName;
const [out, flag, value] = process.argv.slice(2);
if (!out || !['--binary', '--from'].includes(flag) || !value) {
  throw new Error('usage: dist.mjs OUT_DIR (--binary NAME=PATH | --from DIR)');
}
const outDir = resolve(out);
/** npm platform name -> the addon to ship in its package. */
const binaries = new Map(
  flag === '--binary'
    ? [value.split('=', 2).map((part, i) => (i ? resolve(part) : part))]
    : JSON.parse(readFileSync(join(ROOT, 'release', 'targets.json'), 'utf8')).targets.map((t) => [
        t.npm,
        resolve(value, `${binaryName}.${t.npm}.node`),
      ]),
);
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
const platforms = [...binaries.keys()];
published.files = [...files, 'LICENSE-MIT', 'LICENSE-APACHE'];
published.optionalDependencies = Object.fromEntries(platforms.map((p) => [`${manifest.name}-${p}`, manifest.version]));
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);

// The platform packages, from napi-rs' own template, each with its binary.
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
execFileSync(npx, ['napi', 'create-npm-dirs', '--cwd', stage, '--npm-dir', 'npm'], { cwd: ROOT, stdio: 'inherit' });
const platformDirs = platforms.map((platform) => {
  const platformDir = join(stage, 'npm', platform);
  copyFileSync(binaries.get(platform), join(platformDir, `${binaryName}.${platform}.node`));
  for (const file of ['LICENSE-MIT', 'LICENSE-APACHE']) cpSync(join(ROOT, file), join(platformDir, file));
  const platformManifest = JSON.parse(readFileSync(join(platformDir, 'package.json'), 'utf8'));
  platformManifest.files = [...platformManifest.files, 'LICENSE-MIT', 'LICENSE-APACHE'];
  writeFileSync(join(platformDir, 'package.json'), `${JSON.stringify(platformManifest, null, 2)}\n`);
  return platformDir;
});

for (const dir of [stage, ...platformDirs]) {
  execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
}
