// W7's Node receivers on a loopback port: `ours` (`receiver.node`) or `peer` (node:http, the body
// read and JSON.parse'd, as a user would write it). Both answer 200 with a line of text.
// Prints `listening on http://127.0.0.1:PORT` once ready. Usage: node w7-servers.mjs ours|peer
import { createServer } from 'node:http';
import { Receiver } from '../../bindings/node/index.js';

const which = process.argv[2];
const receiver = new Receiver().onAny(async () => {});

function peer(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
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
