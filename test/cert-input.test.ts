import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { PROBES } from '../src/probes/index.js';
import { runMain } from './helpers/cli.js';
import { testPki } from './helpers/pki.js';

const cardCert = PROBES.filter((p) => p.id === 'card-cert');
const pki = testPki();
const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-cert-in-'));
const file = (name: string, content: string | Buffer): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

function pfx(): Buffer {
  const key = forge.pki.privateKeyFromPem(pki.keyPem('card-hsa-auth-valid'));
  const cert = forge.pki.certificateFromPem(pki.pem('card-hsa-auth-valid'));
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], 'test', { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

async function certRun(target: string, lang = 'en') {
  return runMain(['check', 'card-cert', '--cert', target, '--lang', lang, '--format', 'json'], cardCert);
}

describe('--cert with something that is not a certificate: exit 2 with one reason, before the run', () => {
  const cases: [string, () => string, string][] = [
    ['an empty file', () => file('empty.pem', ''), 'is empty'],
    ['garbage', () => file('garbage.cer', Buffer.from('this is not a certificate at all\n'.repeat(10))), 'holds no certificate that can be read'],
    ['a PEM private key', () => file('key.pem', pki.keyPem('card-hsa-auth-valid')), 'Never send private keys'],
    ['a certificate with its private key', () => file('both.pem', pki.pem('card-hsa-auth-valid') + pki.keyPem('card-hsa-auth-valid')), 'Never send private keys'],
    ['a .pfx', () => file('id.pfx', pfx()), 'Never send private keys'],
    [
      'a FIFO',
      () => {
        const p = path.join(dir, 'fifo.pem');
        spawnSync('mkfifo', [p]);
        return p;
      },
      'is not a regular file',
    ],
    [
      'a device like /dev/null',
      () => {
        const p = path.join(dir, 'null');
        const made = spawnSync('mknod', [p, 'c', '1', '3']);
        if (made.status !== 0) throw new Error(`mknod failed (run as root): ${made.stderr}`);
        return p;
      },
      'is not a regular file',
    ],
  ];
  for (const [what, make, reason] of cases) {
    it(what, async () => {
      const target = make();
      const run = await certRun(target);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(reason);
      expect(run.stderr).toContain(target);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('says it in Swedish too', async () => {
    const run = await certRun(file('key2.pem', pki.keyPem('card-hsa-auth-valid')), 'sv');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Skicka aldrig privata nycklar');
  });

  it('still reads a real certificate', async () => {
    const run = await certRun(pki.path(pki.manifest.certificates['card-hsa-auth-valid']!.pem));
    expect(run.code).toBe(0);
  });
});
