import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ATTRIBUTE_LABELS, type NameAttribute, type PublicKeyFacts } from '../src/x509/facts.js';
import { parseCertificate } from '../src/x509/parse.js';
import { testPki } from './helpers/pki.js';
import { describeWith } from './helpers/prereq.js';

/**
 * Our DER reading of certificates against OpenSSL's (Node's X509Certificate)
 * on real certificates: Debian's CA store (RSA and EC P-256/P-384 roots from
 * many CAs and decades), the public SITHS and Efos CAs in fixtures/public and
 * the TEST PKI. Key, dates, names and serial must be the same.
 */

const CA_DIR = '/etc/ssl/certs';

function pemBlocks(file: string): Buffer[] {
  return [...readFileSync(file, 'utf8').matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!, 'base64'));
}

function certificatesIn(dir: string, pattern: RegExp): { name: string; der: Buffer }[] {
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .flatMap((f) => pemBlocks(path.join(dir, f)).map((der, i) => ({ name: `${path.join(dir, f)}#${i}`, der })));
}

/** What OpenSSL says the key is, in our terms (how src/x509 named Node's key types before it read keys itself). */
function opensslKey(x509: X509Certificate): PublicKeyFacts {
  const key = x509.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { type: 'RSA', bits: details.modulusLength };
    case 'rsa-pss':
      return { type: 'RSA-PSS', bits: details.modulusLength };
    case 'ec':
      return { type: 'EC', bits: Number(/(\d{3})/.exec(details.namedCurve ?? '')?.[1]), curve: details.namedCurve };
    case 'ed25519':
      return { type: 'Ed25519', bits: 256 };
    case 'ed448':
      return { type: 'Ed448', bits: 456 };
    case 'dsa':
      return { type: 'DSA', bits: details.modulusLength };
    default:
      return { type: key.asymmetricKeyType ?? 'unknown' };
  }
}

/**
 * The one normalisation between the two serials: ours is the INTEGER's
 * content octets in hex (a positive serial whose top bit is set keeps its
 * leading 00), OpenSSL's the number (no leading 00, "-" when negative). Both
 * as the signed number they are.
 */
function serialValue(hex: string, twosComplement: boolean): bigint {
  if (!twosComplement) return hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
  const value = BigInt(`0x${hex}`);
  return Number.parseInt(hex.slice(0, 2), 16) & 0x80 ? value - (1n << BigInt(hex.length * 4)) : value;
}

/** Node's multi-line name ("C=SE\nO=...\nCN=...", " + " between the parts of one RDN, RFC 2253 escapes) as label/value pairs. */
function opensslName(multiline: string): { label: string; value: string }[] {
  return multiline
    .split('\n')
    .filter(Boolean)
    .flatMap((rdn) => rdn.split(/(?<!\\) \+ /))
    .map((part) => {
      const eq = part.indexOf('=');
      return { label: part.slice(0, eq), value: part.slice(eq + 1).replace(/\\(.)/g, '$1').trim() };
    });
}

function expectSameName(ours: readonly NameAttribute[], openssl: string, where: string): void {
  const theirs = opensslName(openssl);
  expect(ours.map((a) => a.value), where).toEqual(theirs.map((a) => a.value));
  // Labels where we have one of our own (the others OpenSSL names from its larger table).
  ours.forEach((a, i) => {
    if (ATTRIBUTE_LABELS[a.oid]) expect(a.label, `${where} ${a.oid}`).toBe(theirs[i]!.label);
  });
}

function crossCheck(certificates: readonly { name: string; der: Buffer }[]): void {
  for (const { name, der } of certificates) {
    const openssl = new X509Certificate(der);
    const result = parseCertificate(der);
    if (!result.ok) throw new Error(`${name}: ${result.problem}: ${result.error}`);
    const f = result.facts;
    expect(f.key, name).toEqual(opensslKey(openssl));
    expect(f.notBefore.getTime(), name).toBe(new Date(openssl.validFrom).getTime());
    expect(f.notAfter.getTime(), name).toBe(new Date(openssl.validTo).getTime());
    expectSameName(f.subject, openssl.subject, `${name} subject`);
    expectSameName(f.issuer, openssl.issuer, `${name} issuer`);
    expect(serialValue(f.serialNumber, true), name).toBe(serialValue(openssl.serialNumber, false));
    expect(f.sha256, name).toBe(openssl.fingerprint256);
  }
}

/** TEST certificates for the key types no CA store holds, made by `openssl req -x509`; their serial is negative or has its top bit set. */
function opensslMade(): { name: string; der: Buffer }[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-doctor-keys-'));
  const openssl = (args: readonly string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  try {
    openssl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:1024', '-out', 'dsa.param']);
    const kinds: [string, string[], string][] = [
      ['ed25519', ['ed25519'], '-0x05'],
      ['ed448', ['ed448'], '0x80A1'],
      ['rsa-pss', ['rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'], '0xFF00'],
      ['dsa', ['dsa:dsa.param'], '-0x8000'],
      ['secp521r1', ['ec', '-pkeyopt', 'ec_paramgen_curve:secp521r1'], '0'],
      ['brainpoolP256r1', ['ec', '-pkeyopt', 'ec_paramgen_curve:brainpoolP256r1'], '0x7F'],
      ['secp256k1', ['ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1'], '0x80'],
    ];
    return kinds.map(([name, newkey, serial]) => {
      openssl(['req', '-x509', '-newkey', ...newkey, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-nodes', '-days', '1', '-subj', `/O=siths-doctor (TEST)/CN=TEST ${name}`, '-set_serial', serial]);
      return { name, der: pemBlocks(path.join(dir, `${name}.pem`))[0]! };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describeWith('certificates read as OpenSSL reads them', [{ need: path.join(CA_DIR, 'ca-certificates.crt'), debianPackage: 'ca-certificates' }, { need: 'openssl', debianPackage: 'openssl' }], () => {
  it("every certificate in Debian's CA store", () => {
    const store = certificatesIn(CA_DIR, /\.pem$/);
    // A store this small is not the CA store: nothing real would have been compared.
    expect(store.length).toBeGreaterThan(100);
    const keys = new Set(store.map(({ der }) => opensslKey(new X509Certificate(der))).map((k) => `${k.type} ${k.curve ?? k.bits}`));
    // The variety the comparison rests on: RSA sizes and both common curves.
    expect(keys).toContain('RSA 2048');
    expect(keys).toContain('RSA 4096');
    expect(keys).toContain('EC prime256v1');
    expect(keys).toContain('EC secp384r1');
    crossCheck(store);
  });

  it('the public SITHS and Efos CAs and the TEST PKI', () => {
    const pki = testPki();
    const ours = [...certificatesIn('fixtures/public', /\.pem$/), ...Object.keys(pki.manifest.certificates).map((name) => ({ name, der: pki.der(name) }))];
    expect(ours.length).toBeGreaterThan(50);
    crossCheck(ours);
  });

  it('Ed25519, Ed448, RSA-PSS, DSA and the less common curves, with negative and top-bit serials', () => {
    const made = opensslMade();
    crossCheck(made);
    const keys = made.map(({ der }) => (parseCertificate(der) as { facts: { key: unknown } }).facts.key);
    expect(keys).toEqual([
      { type: 'Ed25519', bits: 256 },
      { type: 'Ed448', bits: 456 },
      { type: 'RSA-PSS', bits: 2048 },
      { type: 'DSA', bits: 1024 },
      { type: 'EC', bits: 521, curve: 'secp521r1' },
      { type: 'EC', bits: 256, curve: 'brainpoolP256r1' },
      { type: 'EC', bits: 256, curve: 'secp256k1' },
    ]);
    const serials = made.map(({ der }) => (parseCertificate(der) as { facts: { serialNumber: string } }).facts.serialNumber);
    expect(serials).toEqual(['FB', '0080A1', '00FF00', '8000', '00', '7F', '0080']);
  });

  it('serials with the top bit set keep their leading 00, as on RSA certificates before; OpenSSL shows the same number without it', () => {
    const store = certificatesIn(CA_DIR, /\.pem$/);
    const highBit = store.filter(({ der }) => {
      const r = parseCertificate(der);
      return r.ok && /^00[89A-F]/.test(r.facts.serialNumber);
    });
    expect(highBit.length).toBeGreaterThan(0);
    for (const { name, der } of highBit) {
      const r = parseCertificate(der);
      expect(r.ok && r.facts.serialNumber, name).toBe(`00${new X509Certificate(der).serialNumber}`);
    }
  });
});
