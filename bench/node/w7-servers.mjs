// W7's Node receivers on a loopback port: `ours` (`receiver.node`), `peer` (node:http, the body
// read and JSON.parse'd, as a user would write it) or `peer-ajv` (the same, then validated with
// the published event schema, as a user who validates would). Each answers 200 with a line of
// text. With W7_DEDUPE set to a `dedupe` string, ours is `new Receiver({ dedupe })` and the peer
// keeps the ids it has seen the way a user would: a `Set` (`memory`) or the `redis` package's
// `SET NX EX` (`redis://…`); a second delivery answers `duplicate`.
// Prints `listening on http://127.0.0.1:PORT` once ready.
// Usage: node w7-servers.mjs ours|peer|peer-ajv
import { createServer } from 'node:http';
import { createClient } from 'redis';
import { Receiver } from '../../bindings/node/index.js';
import { compile } from '../../tests/schemas/ajv.mjs';

const which = process.argv[2];
const dedupe = process.env.W7_DEDUPE;
const receiver = new Receiver({ dedupe }).onAny(async () => {});

const validate = which === 'peer-ajv' ? compile('event', { allErrors: false }) : () => true;

/** The peer's "have I handled this id?" in the store W7_DEDUPE names. */
async function seenStore() {
  if (dedupe === 'memory') {
    const seen = new Set();
    return async (id) => !seen.has(id) && Boolean(seen.add(id));
  }
  if (dedupe?.startsWith('redis://')) {
    const client = await createClient({ url: dedupe }).connect();
    return async (id) => (await client.set(`seen:${id}`, '1', { NX: true, EX: 7 * 86400 })) === 'OK';
  }
  return null;
}
const firstTime = which === 'ours' ? null : await seenStore();

function answer(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function peer(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!validate(event)) throw new Error(`${validate.errors[0].instancePath} ${validate.errors[0].message}`);
    } catch (error) {
      return answer(res, 400, String(error.message));
    }
    const handled = `handled ${event.type} ${event.id}`;
    if (firstTime === null) return answer(res, 200, handled);
    firstTime(event.id).then(
      (first) => answer(res, 200, first ? handled : `duplicate ${event.id}: already handled`),
      (error) => answer(res, 503, String(error.message)),
    );
  });
}

const server = createServer(which === 'ours' ? receiver.node : peer).listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
