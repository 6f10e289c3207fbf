// omega-webhooks for Node, ESM entry point: the CommonJS module's exports (the error classes
// come from errors.js, whose export names Node reads statically).
import cjs from './index.js';

export * from './errors.js';
export const { Client, Receiver, testing, parseEvent, delivered, DEFAULT_CONCURRENCY, DEFAULT_POLL_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS } = cjs;
export default cjs;
