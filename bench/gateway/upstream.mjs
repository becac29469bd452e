// The upstream both setups proxy to: a small JSON answer, keep-alive.
import http from 'node:http';

const body = JSON.stringify({ id: 'c1', status: 'active', score: 42, spendable: 42 });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
