// A stand-in for a Peerfed service in the local runner's tests: an HTTP server on PORT whose
// /health/ready answers 503 until FAKE_READY_AFTER_MS passed, then 200.
// FAKE_MODE: ok | never-ready | crash-after-ready | ignore-sigterm | exit-at-once
'use strict';
const http = require('node:http');

const port = Number(process.env.PORT);
const mode = process.env.FAKE_MODE || 'ok';
const readyAfter = Number(process.env.FAKE_READY_AFTER_MS || 0);
const started = Date.now();

console.log(`booting on port ${port} in mode ${mode}`);
console.error('a line on stderr');
if (mode === 'exit-at-once') {
  console.error('fatal: cannot boot');
  process.exit(3);
}

const server = http.createServer((req, res) => {
  if (req.url === '/health/ready') {
    const ready = mode !== 'never-ready' && Date.now() - started >= readyAfter;
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: ready ? 'ok' : 'starting', env: { DATABASE_URL: process.env.DATABASE_URL, NODE_ENV: process.env.NODE_ENV } }));
    if (ready && mode === 'crash-after-ready') setTimeout(() => { console.error('boom'); process.exit(7); }, 200);
    return;
  }
  res.writeHead(404);
  res.end();
});
server.listen(port, '127.0.0.1', () => console.log('listening'));

process.on('SIGTERM', () => {
  if (mode === 'ignore-sigterm') {
    console.log('ignoring SIGTERM');
    return;
  }
  console.log('SIGTERM received, closing');
  server.close(() => process.exit(0));
});
