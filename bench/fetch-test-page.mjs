#!/usr/bin/env node
// Time to fetch the test page from a loopback HTTPS server (TEST PKI
// certificate, reached as test.siths.se) with siths-doctor's HTTP layer,
// with bare Node (https.get) and with curl when installed. Every fetch opens
// a fresh connection and does a full TLS handshake, as siths-doctor does.
// The server runs in a child process so it never shares an event loop with
// a client. One run, sequential fetches, a small table on stdout.
//
//   npm run bench            (builds first; needs the TEST PKI: npm run fixtures)
//   node bench/fetch-test-page.mjs [fetches]

import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const pki = (file) => `${root}fixtures/pki/${file}`;
const FETCHES = Number(process.argv[2] ?? 40);
const HOST = 'test.siths.se';

if (!existsSync(pki('manifest.json'))) {
  console.error('No TEST PKI in fixtures/pki: run `npm run fixtures` first.');
  process.exit(2);
}
const { httpRequest } = await import(`${root}dist/net/http.js`);

const SERVER = `
  const https = require('node:https');
  const fs = require('node:fs');
  const page = '<!doctype html><title>SITHS testsida (TEST)</title>' + 'x'.repeat(2000);
  const server = https.createServer(
    { cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]) },
    (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page),
  );
  server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER, pki('tls-test-siths.chain.pem'), pki('tls-test-siths.key.pem')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { port, stop: () => child.kill() };
}

async function measure(fetchOnce) {
  await fetchOnce(); // warm-up: module loading, JIT
  const times = [];
  for (let i = 0; i < FETCHES; i++) {
    const started = performance.now();
    await fetchOnce();
    times.push(performance.now() - started);
  }
  return times;
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), min: sorted[0] };
}

const webRoot = readFileSync(pki('web-root.pem'), 'utf8');
const server = await startServer();
const url = `https://${HOST}:${server.port}/`;
const rows = [];

try {
  const phases = [];
  // One array for the run, as trustedRoots() gives it, so the secure context is built once.
  const ca = [...rootCertificates, webRoot];
  rows.push([
    'siths-doctor (undici + own connector)',
    stats(
      await measure(async () => {
        const response = await httpRequest({
          url: new URL(url),
          resolve: [{ host: HOST, port: server.port, address: '127.0.0.1' }],
          ca,
          timeoutMs: 10_000,
        });
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        phases.push(response.timings);
      }),
    ),
  ]);

  const lookup = (_host, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4));
  const nodeGet = (tlsOptions) => () =>
    new Promise((resolve, reject) => {
      const req = https.get(url, { agent: false, lookup, ...tlsOptions }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
    });
  rows.push(['node https.get (agent: false, ca per request)', stats(await measure(nodeGet({ ca })))]);
  const secureContext = createSecureContext({ ca });
  rows.push(['node https.get (agent: false, one secureContext)', stats(await measure(nodeGet({ secureContext })))]);

  const curl = await promisify(execFile)('curl', ['--version']).then(() => true, () => false);
  if (curl) {
    const reported = [];
    rows.push([
      'curl (whole process)',
      stats(
        await measure(async () => {
          const { stdout } = await promisify(execFile)('curl', ['-sS', '-o', '/dev/null', '-w', '%{time_total}', '--resolve', `${HOST}:${server.port}:127.0.0.1`, '--cacert', pki('web-root.pem'), url]);
          reported.push(Number(stdout) * 1000);
        }),
      ),
    ]);
    rows.push(['curl (its own time_total)', stats(reported.slice(1))]);
  }

  const ms = (n) => n.toFixed(1);
  console.log(`Fetching ${url} (loopback, fresh TLS 1.3 connection each time), ${FETCHES} fetches after one warm-up, Node ${process.versions.node}\n`);
  console.log('| client | median ms | p90 ms | min ms |');
  console.log('|---|---:|---:|---:|');
  for (const [name, s] of rows) console.log(`| ${name} | ${ms(s.median)} | ${ms(s.p90)} | ${ms(s.min)} |`);
  const median = (key) => stats(phases.map((t) => t[key] ?? 0)).median;
  console.log(`\nsiths-doctor phases (median ms): dns ${median('dnsMs')} · connect ${median('connectMs')} · tls ${median('tlsMs')} · first byte ${median('firstByteMs')} · body ${median('bodyMs')} · total ${median('totalMs')}`);
} finally {
  server.stop();
}
