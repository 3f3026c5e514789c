import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../src/system.js';
import { judgeChain } from '../src/tls/chain-verdict.js';
import type { CertificateRequestSeen } from '../src/tls/handshake-reader.js';
import { INSPECTION_PRODUCTS, inspectionProductOf } from '../src/tls/inspection-products.js';
import { findRootInOsStore } from '../src/tls/os-store.js';
import { loadCaFiles, type TrustAnchor } from '../src/net/trust.js';
import { mozillaAnchors, TrustStore } from '../src/tls/trust.js';
import type { PresentedHandshake } from '../src/tls/types.js';
import { analyseChain, readCertificates } from '../src/tls/verify.js';
import { testPki } from './helpers/pki.js';
import { realPlatform, realFileSystem } from '../src/system.js';
import { testSystem } from './helpers/system.js';

const pki = testPki();
const IDP = 'm00-mg-local.idp.funktionstjanster.se';
const now = new Date();
const anchor = (name: string): TrustAnchor => ({ cert: new X509Certificate(pki.der(name)), source: 'ca-file', file: `${name}.pem` });
const storeWith = (...names: string[]) => new TrustStore([...mozillaAnchors(), ...names.map(anchor)]);
const certs = (...names: string[]) => readCertificates(names.map((n) => (n === 'garbage' ? Buffer.from('not a certificate') : pki.der(n))));

const REQUEST: CertificateRequestSeen = { certificateTypes: [1, 64], signatureAlgorithms: [0x0401], authorities: [Buffer.from('30023100', 'hex')] };
function handshake(certificates: Buffer[], extra: Partial<PresentedHandshake> = {}): PresentedHandshake {
  return {
    chainSource: 'as-sent',
    protocol: 'TLSv1.2',
    certificates,
    certificateRequest: REQUEST,
    messages: [],
    remoteAddress: '127.0.0.1:443',
    connectMs: 1,
    handshakeMs: 1,
    bytesRead: 1,
    ...extra,
  };
}
function judge(host: string, names: string[], store: TrustStore, extra: Partial<PresentedHandshake> = {}, at = now) {
  const presented = certs(...names);
  const chain = analyseChain(presented, host, store, at);
  return judgeChain({ host, handshake: handshake(presented.map((p) => Buffer.from(p.x509?.raw ?? Buffer.alloc(0))), extra), presented, chain });
}

describe('chain building', () => {
  it('builds leaf → intermediate → a --ca-file root and checks the host', () => {
    const chain = analyseChain(certs('tls-idp', 'web-ca'), IDP, storeWith('web-root'), now);
    expect(chain).toMatchObject({ trusted: true, path: [0, 1], unused: [], inOrder: true, hostCovered: true, matchedName: '*.idp.funktionstjanster.se' });
    expect(chain.anchor).toMatchObject({ source: 'ca-file', sent: false, subject: 'CN=TEST Public Root CA G2, O=Example Trust Services (TEST), C=US' });
    expect(chain.expired).toEqual([]);
  });

  it('tolerates certificates out of order, duplicated and unrelated, as browsers do', () => {
    const chain = analyseChain(certs('tls-idp', 'siths-root', 'web-ca', 'web-ca', 'garbage'), IDP, storeWith('web-root'), now);
    expect(chain.trusted).toBe(true);
    expect(chain.path).toEqual([0, 2]);
    expect(chain.unused).toEqual([1, 3, 4]);
    expect(chain.inOrder).toBe(false);
  });

  it('notices a root the server sent itself', () => {
    const chain = analyseChain(certs('tls-idp', 'web-ca', 'web-root'), IDP, storeWith('web-root'), now);
    expect(chain.path).toEqual([0, 1, 2]);
    expect(chain.anchor?.sent).toBe(true);
  });

  it('names the root an untrusted chain points to', () => {
    const chain = analyseChain(certs('tls-idp-zscaler', 'inspection-zscaler-ca'), IDP, storeWith(), now);
    expect(chain.trusted).toBe(false);
    expect(chain.path).toEqual([0, 1]);
    expect(chain.untrustedRoot).toBe('CN=TEST Zscaler Root CA, OU=Zscaler Inc. (TEST), O=Zscaler Inc. (TEST), C=US');
    expect(chain.endsSelfSigned).toBe(false);
    const sent = analyseChain(certs('tls-idp-zscaler', 'inspection-zscaler-ca', 'inspection-zscaler-root'), IDP, storeWith(), now);
    expect(sent.endsSelfSigned).toBe(true);
    expect(sent.path).toEqual([0, 1, 2]);
  });

  it('finds expired, not yet valid and wrong-host certificates', () => {
    const expired = analyseChain(certs('tls-idp-expired', 'web-ca'), IDP, storeWith('web-root'), now);
    expect(expired.expired.map((e) => e.subject)).toEqual(['CN=idp.funktionstjanster.se, O=CGI Sverige AB (TEST), C=SE']);
    const early = analyseChain(certs('tls-idp', 'web-ca'), IDP, storeWith('web-root'), new Date(now.getTime() - 60 * 86400_000));
    expect(early.notYetValid).toHaveLength(1);
    const wrong = analyseChain(certs('tls-wrong-host', 'web-ca'), IDP, storeWith('web-root'), now);
    expect(wrong).toMatchObject({ trusted: true, hostCovered: false, leafNames: ['wrong-host.example.test'] });
  });

  it('stays quick with many copies of the same intermediate', () => {
    const started = performance.now();
    const chain = analyseChain(certs('tls-idp', ...Array.from({ length: 31 }, () => 'web-ca')), IDP, storeWith(), now);
    expect(chain.path).toEqual([0, 1]);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('the verdict on a presented chain', () => {
  it('passes a chain to a trusted root for the host that asks for a card', () => {
    const verdict = judge(IDP, ['tls-idp', 'web-ca'], storeWith('web-root'));
    expect(verdict).toMatchObject({ status: 'pass', outcome: 'pass', evidence: [] });
    expect(verdict.summary.en).toContain('the server asks for a card from 1 certificate authority');
  });

  it('fails as TLS inspection when the chain ends in no trusted root, naming issuer and product', () => {
    const verdict = judge(IDP, ['tls-idp-zscaler', 'inspection-zscaler-ca'], storeWith());
    expect(verdict).toMatchObject({ status: 'fail', outcome: 'inspection', evidence: ['untrusted-root', 'known-product'], product: 'Zscaler' });
    expect(verdict.summary.en).toContain('TEST Zscaler Intermediate Root CA');
    expect(verdict.summary.en).toContain('Zscaler');
    expect(verdict.advice?.en).toContain('*.idp.funktionstjanster.se');
    expect(verdict.advice?.sv).toContain('do not decrypt');
  });

  it('fails as TLS inspection on a known product even when its root was given with --ca-file', () => {
    const verdict = judge(IDP, ['tls-idp-zscaler', 'inspection-zscaler-ca'], storeWith('inspection-zscaler-root'));
    expect(verdict).toMatchObject({ status: 'fail', outcome: 'inspection', evidence: ['known-product'], product: 'Zscaler' });
  });

  it('fails as TLS inspection when the IdP does not ask for a card', () => {
    const verdict = judge(IDP, ['tls-idp', 'web-ca'], storeWith('web-root'), { certificateRequest: undefined });
    expect(verdict).toMatchObject({ status: 'fail', outcome: 'inspection', evidence: ['no-client-certificate-request'] });
  });

  it('only warns when another host does not ask for a card', () => {
    const verdict = judge('test.siths.se', ['tls-test-siths', 'web-ca'], storeWith('web-root'), { certificateRequest: undefined });
    expect(verdict).toMatchObject({ status: 'warn', outcome: 'no-client-certificate-request' });
  });

  it('warns when the server speaks only TLS 1.3 and the request cannot be seen', () => {
    const verdict = judge(IDP, ['tls-idp', 'web-ca'], storeWith('web-root'), { chainSource: 'as-verified', certificateRequest: undefined });
    expect(verdict).toMatchObject({ status: 'warn', outcome: 'request-not-visible' });
  });

  it('fails with the plain cause for a wrong host, an expired or a not yet valid certificate', () => {
    expect(judge(IDP, ['tls-wrong-host', 'web-ca'], storeWith('web-root')).outcome).toBe('wrong-host');
    const expired = judge(IDP, ['tls-idp-expired', 'web-ca'], storeWith('web-root'));
    expect(expired.outcome).toBe('expired');
    expect(expired.summary.en).toMatch(/expired on \d{4}-\d{2}-\d{2}/);
    const early = judge(IDP, ['tls-idp', 'web-ca'], storeWith('web-root'), {}, new Date(now.getTime() - 60 * 86400_000));
    expect(early.outcome).toBe('not-yet-valid');
    expect(early.summary.en).toContain('clock');
  });

  it('fails when no certificate, or an unreadable one, was presented', () => {
    expect(judge(IDP, [], storeWith()).outcome).toBe('no-certificate');
    expect(judge(IDP, ['garbage', 'web-ca'], storeWith('web-root')).outcome).toBe('unreadable-certificate');
  });
});

describe('inspection product labels', () => {
  it.each([
    ['CN=Zscaler Intermediate Root CA (zscaler.net), O=Zscaler Inc., C=US', 'Zscaler'],
    ['CN=FortiGate CA, O=Fortinet, C=US', 'Fortinet FortiGate'],
    ['CN=Fortinet_CA_SSL', 'Fortinet FortiGate'],
    ['CN=Cisco Umbrella Root CA, O=Cisco', 'Cisco Umbrella'],
    ['CN=Forcepoint Cloud CA', 'Forcepoint'],
    ['CN=McAfee Web Gateway', 'McAfee / Skyhigh Web Gateway'],
    ['CN=Sophos SSL CA_C123456', 'Sophos'],
    ['CN=Avast Web/Mail Shield Root', 'Avast / AVG'],
    ['CN=TEST Region Test Proxy CA, O=Region Test (TEST)', undefined],
    ['CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US', undefined],
  ])('%s → %s', (name, product) => {
    expect(inspectionProductOf([name])).toBe(product);
  });

  it('has a source comment and at least one pattern for every product', () => {
    expect(INSPECTION_PRODUCTS.length).toBeGreaterThanOrEqual(15);
    for (const entry of INSPECTION_PRODUCTS) expect(entry.patterns.length).toBeGreaterThan(0);
  });
});

describe('the root in the operating system store', () => {
  const zscalerCa = new X509Certificate(pki.der('inspection-zscaler-ca'));
  const root = { name: 'CN=TEST Zscaler Root CA, O=Zscaler Inc. (TEST), C=US', lastOnPath: zscalerCa, sent: false };
  const limits = { timeoutMs: 1000, signal: new AbortController().signal };
  const system = (osName: NodeJS.Platform, exec: CommandRunner) => testSystem({ platform: { ...realPlatform(), os: osName }, exec });
  const calls: string[][] = [];
  const answer =
    (stdout: string, code = 0): CommandRunner =>
    async (file, args) => {
      calls.push([file, ...args]);
      return { code, stdout, stderr: '', timedOut: false };
    };

  it('macOS: finds the root that really signed the chain in the keychain', async () => {
    const found = await findRootInOsStore(system('darwin', answer(pki.pem('web-root') + pki.pem('inspection-zscaler-root'))), root, limits);
    expect(found).toEqual({ store: 'macos', found: true });
    expect(calls.at(-1)).toEqual(['security', 'find-certificate', '-a', '-p', '-c', 'TEST Zscaler Root CA']);
    const impostor = await findRootInOsStore(system('darwin', answer(pki.pem('inspection-org-ca'), 44)), root, limits);
    expect(impostor).toEqual({ store: 'macos', found: false });
  });

  it('Windows: asks certutil for the machine and the user root store', async () => {
    const found = await findRootInOsStore(system('win32', answer('Subject: CN=TEST Zscaler Root CA\r\nCertUtil: -store command completed successfully.')), root, limits);
    expect(found).toEqual({ store: 'windows', found: true });
    expect(calls.slice(-2)).toEqual([
      ['certutil', '-store', 'Root', 'TEST Zscaler Root CA'],
      ['certutil', '-user', '-store', 'Root', 'TEST Zscaler Root CA'],
    ]);
    expect(await findRootInOsStore(system('win32', answer('CertUtil: -store command FAILED: 0x80092004', 0x80092004 & 0xff)), root, limits)).toEqual({ store: 'windows', found: false });
  });

  it('says nothing on Linux, or when the tool is missing', async () => {
    expect(await findRootInOsStore(system('linux', answer('')), root, limits)).toBeUndefined();
    const missing: CommandRunner = async () => {
      throw Object.assign(new Error('spawn security ENOENT'), { code: 'ENOENT' });
    };
    expect(await findRootInOsStore(system('darwin', missing), root, limits)).toBeUndefined();
  });
});

describe('--ca-file', () => {
  it('reads PEM bundles and DER files, and names files without a certificate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-ca-'));
    const der = path.join(dir, 'root.der');
    const junk = path.join(dir, 'junk.pem');
    writeFileSync(der, pki.der('web-root'));
    writeFileSync(junk, 'hello');
    const loaded = await loadCaFiles(realFileSystem, [pki.path('siths-card-cas.pem'), der, junk]);
    expect(loaded.anchors).toHaveLength(5);
    // For Node's TLS: its bundled roots, then the five, each as PEM.
    expect(loaded.ca).toHaveLength(rootCertificates.length + 5);
    expect(loaded.ca?.every((p) => p.startsWith('-----BEGIN CERTIFICATE-----'))).toBe(true);
    expect((await loadCaFiles(realFileSystem, [junk])).ca).toBeUndefined();
    expect(loaded.problems.map((p) => [p.file, p.reason.en])).toEqual([[junk, 'a certificate in it cannot be read (PEM or DER expected)']]);
  });
});
