'use strict';
// The native addon and the calls into it, shared by the entry point's modules (index.js,
// receiver.js, testing.js): loading it, converting its errors to the taxonomy's classes, and
// cancelling its async calls with an AbortSignal.

/** The platforms with a prebuilt package (written by `make codegen` from release/targets.json). */
// codegen:prebuilt:begin
const PREBUILT = ['linux-x64-gnu', 'linux-x64-musl', 'linux-arm64-gnu', 'linux-arm64-musl', 'darwin-x64', 'darwin-arm64', 'win32-x64-msvc'];
// codegen:prebuilt:end

const native = loadNative();
const errors = require('./errors.js');
const { converter } = require('./error-base.js');

const fromNative = converter(errors);

/** The addon: a development build beside this file, else the platform package npm installed
 * with this one (`omega-webhooks-linux-x64-gnu`, ...). Without either, an error that names the
 * package this platform needs rather than the loader's stack of attempts. */
function loadNative() {
  try {
    return require('./native.js');
  } catch (error) {
    const libc = process.platform !== 'linux' ? '' : process.report?.getReport().header.glibcVersionRuntime ? '-gnu' : '-musl';
    const platform = `${process.platform}-${process.arch}${process.platform === 'win32' ? '-msvc' : libc}`;
    const needed = `omega-webhooks-${platform}`;
    const remedy = PREBUILT.includes(platform)
      ? `install it (npm installs it with omega-webhooks unless optional dependencies are omitted)`
      : `no prebuilt package exists for it (prebuilt: ${PREBUILT.join(', ')}); build from the repository with \`npm install && npm run build\``;
    throw new Error(`omega-webhooks: no native addon for ${platform}: the package ${needed} is not installed or cannot load here; ${remedy}`, {
      cause: error,
    });
  }
}

/** Runs a synchronous addon call, converting its errors to the taxonomy. */
function callNative(fn) {
  try {
    return fn();
  } catch (error) {
    throw fromNative(error);
  }
}

/** What an aborted call rejects with: the signal's reason, as `fetch` does. */
function abortReason(signal) {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Runs an async addon call that an `AbortSignal` can cancel. */
async function cancellable(signal, start) {
  if (signal?.aborted) throw abortReason(signal);
  const token = new native.CancelToken();
  const onAbort = () => token.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await start(token);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw fromNative(error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The native client of each `Client` (for a `Receiver` that verifies with it). */
const clientNatives = new WeakMap();

module.exports = { native, errors, fromNative, callNative, cancellable, clientNatives };
