// W7's Node receivers on a loopback port: `ours` (`receiver.node`), `peer` (node:http, the body
// read and JSON.parse'd, as a user would write it) or `peer-ajv` (the same, then validated with
// the published event schema, as a user who validates would). Each answers 200 with a line of
// text. Prints `listening on http://127.0.0.1:PORT` once ready.
// Usage: node w7-servers.mjs ours|peer|peer-ajv
import { createServer } from 'node:http';
import { Receiver } from '../../bindings/node/index.js';
import { compile } from '../../tests/schemas/ajv.mjs';

const which = process.argv[2];
const receiver = new Receiver().onAny(async () => {});

const validate = which === 'peer-ajv' ? compile('event', { allErrors: false }) : () => true;

function peer(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!validate(event)) throw new Error(`${validate.errors[0].instancePath} ${validate.errors[0].message}`);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`handled ${event.type} ${event.id}`);
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(error.message));
    }
  });
}

const server = createServer(which === 'ours' ? receiver.node : peer).listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
