#!/usr/bin/env node
// Time to obtain the chain a server presents, on one loopback TLS server
// standing in for the IdP (TEST PKI, asking for a client certificate):
//
//   reader      siths-doctor's TLS 1.2 handshake reader, in process (connect,
//               ClientHello, read to ServerHelloDone, close)
//   s_client    `openssl s_client -showcerts` (a process per run, full handshake),
//               with -tls1_2 (same protocol) and as people type it (TLS 1.3)
//   baseline    `openssl version`: what starting a process costs on this machine
//   cli         `siths-doctor tls HOST --format json` (a process per run: Node
//               start-up, the proxy and idp-tls checks, the report)
//
//   npm run bench:tls [-- --iterations 50]
//
// Needs a build (dist/) and openssl on PATH. Prints median, p95 and mean per
// method and the ratios; nothing is asserted.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { realTlsClient } from '../dist/tls/read-presented.js';
import { DEFAULT_PKI_DIR, makeTestPki } from '../scripts/make-test-pki.mjs';

const HOST = 'm00-mg-local.idp.funktionstjanster.se';
const BIN = fileURLToPath(new URL('../bin/siths-doctor.js', import.meta.url));
const iterations = Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 50;
const cliIterations = Math.max(5, Math.round(iterations / 2.5));

const pki = (name) => path.join(DEFAULT_PKI_DIR, name);
try {
  readFileSync(pki('tls-idp.chain.pem'));
} catch {
  makeTestPki(DEFAULT_PKI_DIR);
}

const server = tls.createServer(
  {
    cert: readFileSync(pki('tls-idp.chain.pem')),
    key: readFileSync(pki('tls-idp.key.pem')),
    requestCert: true,
    rejectUnauthorized: false,
    ca: readFileSync(pki('siths-card-cas.pem')),
  },
  (socket) => socket.end(),
);
server.on('tlsClientError', () => undefined);
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

function run(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end();
  });
}

async function time(label, times, once) {
  const samples = [];
  await once(); // warm-up
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return { label, n: times, median: at(0.5), p95: at(0.95), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

const reader = await time('reader (in process)', iterations, async () => {
  const presented = await realTlsClient.readPresented({
    host: HOST,
    port,
    route: { mode: 'direct', source: 'none' },
    resolve: [{ host: HOST, port, address: '127.0.0.1' }],
    timeoutMs: 5000,
    totalMs: 10000,
    signal: new AbortController().signal,
  });
  if (presented.certificates.length !== 2) throw new Error('reader: wrong chain');
});

const sclient = (extra) => async () => {
  const { out } = await run('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', HOST, '-showcerts', ...extra]);
  if ((out.match(/BEGIN CERTIFICATE/g) ?? []).length !== 2) throw new Error('s_client: wrong chain');
};
const sclient12 = await time('openssl s_client -showcerts -tls1_2', iterations, sclient(['-tls1_2']));
const sclient13 = await time('openssl s_client -showcerts', iterations, sclient([]));

// What starting a process costs here, to read the s_client numbers against.
const spawnBaseline = await time('baseline: openssl version (start only)', iterations, async () => {
  await run('openssl', ['version']);
});

const cli = await time('siths-doctor tls (process)', cliIterations, async () => {
  const { out } = await run(process.execPath, [BIN, 'tls', `${HOST}:${port}`, '--resolve', `${HOST}:${port}:127.0.0.1`, '--ca-file', pki('web-root.pem'), '--no-proxy', '--format', 'json']);
  if (JSON.parse(out).checks.at(-1).details.hosts[0].certificates.length !== 2) throw new Error('cli: wrong chain');
});

server.close();
const rows = [reader, sclient12, sclient13, spawnBaseline, cli];
const ms = (v) => v.toFixed(2).padStart(8);
console.log(`Presented chain from a loopback TLS server (Node ${process.versions.node}, ${process.platform}):`);
console.log(`${'method'.padEnd(40)}${'n'.padStart(5)}${'median ms'.padStart(11)}${'p95 ms'.padStart(9)}${'mean ms'.padStart(9)}`);
for (const r of rows) console.log(`${r.label.padEnd(40)}${String(r.n).padStart(5)} ${ms(r.median)}  ${ms(r.p95)} ${ms(r.mean)}`);
console.log('');
console.log(`s_client -tls1_2 / reader (median): ${(sclient12.median / reader.median).toFixed(1)}x`);
console.log(`s_client / reader (median):         ${(sclient13.median / reader.median).toFixed(1)}x`);
console.log(`(s_client -tls1_2 - start-up) / reader: ${((sclient12.median - spawnBaseline.median) / reader.median).toFixed(1)}x`);
console.log(`siths-doctor tls / s_client -tls1_2: ${(cli.median / sclient12.median).toFixed(1)}x`);
