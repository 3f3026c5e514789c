#!/usr/bin/env node
// Records what TLS servers answer to siths-doctor's ClientHello, for the
// handshake reader's unit and property tests (test/tls-reader.test.ts):
// the raw bytes from the server up to ServerHelloDone (or the alert), from
// Node's TLS server and from `openssl s_server`, with the TEST PKI.
//
//   npm run build && node scripts/record-tls-flights.mjs
//
// Writes fixtures/tls/<name>.bin and fixtures/tls/manifest.json (what each
// recording holds, for the tests to check against). The certificates in
// them are TEST certificates; their dates are those of the recording, which
// the reader tests do not judge.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { buildClientHello } from '../dist/tls/client-hello.js';
import { ServerFlightReader } from '../dist/tls/handshake-reader.js';
import { DEFAULT_PKI_DIR, makeTestPki } from './make-test-pki.mjs';

const OUT = fileURLToPath(new URL('../fixtures/tls/', import.meta.url));
const HOST = 'm00-mg-local.idp.funktionstjanster.se';

function pkiFile(name) {
  return path.join(DEFAULT_PKI_DIR, name);
}

/** Send our ClientHello to port and collect the server's bytes until ServerHelloDone, an alert, or close. */
function record(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const reader = new ServerFlightReader();
    const chunks = [];
    const done = () => {
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    socket.on('connect', () => socket.write(buildClientHello(HOST)));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      try {
        if (reader.push(chunk)) done();
      } catch {
        done();
      }
    });
    socket.on('close', done);
    socket.on('error', reject);
    setTimeout(() => reject(new Error('recording timed out')), 5000).unref();
  });
}

async function withNodeServer(options, fn) {
  const server = tls.createServer({
    cert: readFileSync(pkiFile('tls-idp.chain.pem')),
    key: readFileSync(pkiFile('tls-idp.key.pem')),
    ...options,
  });
  server.on('tlsClientError', () => undefined);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn(server.address().port);
  } finally {
    server.close();
  }
}

async function withOpensslServer(fn) {
  const port = await new Promise((r) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const p = probe.address().port;
      probe.close(() => r(p));
    });
  });
  const child = spawn(
    'openssl',
    ['s_server', '-quiet', '-accept', `127.0.0.1:${port}`, '-cert', pkiFile('tls-idp.pem'), '-key', pkiFile('tls-idp.key.pem'), '-cert_chain', pkiFile('web-ca.pem'), '-verify', '1', '-CAfile', pkiFile('siths-card-cas.pem')],
    { stdio: 'ignore' },
  );
  try {
    for (let i = 0; i < 50; i++) {
      const up = await new Promise((r) => net.connect({ host: '127.0.0.1', port }).on('connect', function () { this.destroy(); r(true); }).on('error', () => r(false)));
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return await fn(port);
  } finally {
    child.kill();
  }
}

const cas = () => readFileSync(pkiFile('siths-card-cas.pem'));
const recordings = {
  'node-request-cert': { source: 'Node tls.createServer, requestCert, ca = siths-card-cas.pem', certificates: 2, requested: true, authorities: 4, run: () => withNodeServer({ requestCert: true, rejectUnauthorized: false, ca: cas() }, record) },
  'node-no-request': { source: 'Node tls.createServer without requestCert', certificates: 2, requested: false, authorities: 0, run: () => withNodeServer({}, record) },
  'openssl-s_server': { source: 'openssl s_server -verify 1 -CAfile siths-card-cas.pem -cert_chain web-ca.pem', certificates: 2, requested: true, authorities: 4, run: () => withOpensslServer(record) },
  'tls13-only-alert': { source: "Node tls.createServer minVersion TLSv1.3: a protocol_version alert", alert: 'protocol_version', run: () => withNodeServer({ minVersion: 'TLSv1.3' }, record) },
};

makeTestPki(DEFAULT_PKI_DIR);
mkdirSync(OUT, { recursive: true });
const manifest = {};
for (const [name, { run, ...meta }] of Object.entries(recordings)) {
  const bytes = await run();
  writeFileSync(path.join(OUT, `${name}.bin`), bytes);
  manifest[name] = { ...meta, bytes: bytes.length };
  console.log(`${name}: ${bytes.length} bytes`);
}
writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
