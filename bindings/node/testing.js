'use strict';
// Helpers for testing your own code: realistic webhook bodies to post to your receiver, and the
// mock Omega API in this process. `require('omega-webhooks').testing`.

const { native, callNative, fromNative } = require('./addon.js');

/** The body Omega would POST for a realistic event of `type` (the generator and overrides of
 * `omega-webhooks trigger`), as a Buffer: `set` maps dotted paths to JSON values; one that leaves
 * no valid event is a `ConfigurationError`. The same `seed` gives the same values. */
function eventBody(type, { set, seed } = {}) {
  const overrides = Object.entries(set ?? {}).map(([path, value]) => [path, JSON.stringify(value)]);
  return callNative(() => native.syntheticBody(String(type), overrides, seed));
}

/** Starts the mock Omega API on a free loopback port of this process: `{ baseUrl, apiKey,
 * endpointId, close() }`; `endpointId` has `events` generated events. */
async function startMock({ events, seed } = {}) {
  let server;
  try {
    server = await native.startMockServer(events, seed);
  } catch (error) {
    throw fromNative(error);
  }
  return { baseUrl: server.baseUrl, apiKey: server.apiKey, endpointId: server.endpointId, close: () => server.close() };
}

module.exports = { eventBody, startMock };
