// Shared by the Node tests: the real mock server, started from the built CLI, and fixtures.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const MOCK_KEY = 'omega-mock-key';

/** A fresh directory for one test file's files, removed with them after the file's tests. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const readJson = (relative) => JSON.parse(readFileSync(join(ROOT, relative), 'utf8'));

/** How many mutated fixtures the fuzz tests read: 20,000, or $OMEGA_FUZZ_INPUTS (`make fuzz`). */
export const FUZZ_INPUTS = Number(process.env.OMEGA_FUZZ_INPUTS ?? 20_000);

/** The fuzz corpus shared with Python (tests/fuzz/corpus.py, with the installed package): per
 * input, `{ body }` (a Buffer) and Python's outcome, `event` (to_dict()) or `error` and `path`. */
export function fuzzCorpus(count = FUZZ_INPUTS) {
  const python = process.env.OMEGA_PYTHON ?? join(ROOT, '.venv', 'bin', 'python');
  assert.ok(existsSync(python), `${python} is missing: run \`make test-python\` first (it installs the Python package)`);
  const lines = execFileSync(python, [join(ROOT, 'tests', 'fuzz', 'corpus.py'), String(count)], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  return lines
    .trim()
    .split('\n')
    .map((line) => {
      const { input, ...outcome } = JSON.parse(line);
      return { body: Buffer.from(input, 'base64'), ...outcome };
    });
}

/** The `omega-webhooks` binary: $OMEGA_WEBHOOKS_BIN (set by the Makefile) or target/debug. */
export function cliBinary() {
  const path = process.env.OMEGA_WEBHOOKS_BIN || join(ROOT, 'target', 'debug', 'omega-webhooks');
  if (!existsSync(path)) throw new Error(`${path} does not exist: cargo build -p omega-webhooks-cli`);
  return path;
}

/** Starts `omega-webhooks mock ...args`; resolves once it prints its ready line. */
export async function startMock(...args) {
  const child = spawn(cliBinary(), ['mock', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [line] = await new Promise((resolve, reject) => {
    lines.once('line', (l) => resolve([l]));
    child.once('exit', (code) => reject(new Error(`mock exited with ${code}`)));
  });
  lines.close();
  if (!line.startsWith('listening on http://')) throw new Error(`unexpected ready line ${line}`);
  const url = line.slice('listening on '.length);
  const admin = async (method, path, body) => {
    const response = await fetch(url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  };
  return {
    url,
    script: (steps) => admin('POST', '/__mock/script', steps),
    requests: () => admin('GET', '/__mock/requests'),
    connections: () => admin('GET', '/__mock/connections'),
    reset: () => admin('POST', '/__mock/reset', []),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc', { paths: [ROOT] });

/** Runs tsc --strict on `files` in `dir` (with Node's types unless `nodeTypes` is false, as in
 * a project without @types/node); fails the test with tsc's output. */
export function typecheck(dir, files, { nodeTypes = true } = {}) {
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext',
      '--moduleResolution', 'nodenext', ...(nodeTypes ? ['--types', 'node'] : []), '--skipLibCheck', 'false', ...files],
      { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
}

