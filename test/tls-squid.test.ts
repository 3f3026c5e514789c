import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/cli.js';
import { runIdpTls } from './helpers/idp-tls-run.js';
import { testPki } from './helpers/pki.js';
import { describeWith } from './helpers/prereq.js';
import { SQUID_PREREQUISITES, startSquid, type Squid } from './helpers/squid-proxy.js';
import { freePort } from './helpers/ports.js';
import { IDP_HOST, startIdpServer, type RunningServer } from './helpers/tls-servers.js';

/**
 * A real intercepting proxy between the tool and the stand-in IdP: squid
 * with ssl-bump, signing with the "organisation" CA `inspection-org-ca`; the
 * same squid also splices, tunnels, demands a login and refuses, each on a
 * port of its own.
 */
const pki = testPki();
const ORG_CA = 'TEST Region Test Proxy CA';
const SITHS_ROOT = 'CN=TEST SITHS e-id Root CA v2, O=Inera AB (TEST), C=SE';
const USER = { name: 'helpdesk', password: 's3cret' };

describeWith('idp-tls through squid', SQUID_PREREQUISITES, () => {
  let idp: RunningServer;
  let squid: Squid;
  const proxy = (port: number, credentials = ''): string => `http://${credentials}127.0.0.1:${port}`;
  const through = (port: number, credentials = '') => runIdpTls(idp.port, { noProxy: false, proxy: proxy(port, credentials), timeoutMs: 5000 });

  beforeAll(async () => {
    idp = await startIdpServer();
    squid = await startSquid({
      inspectionCa: { certPem: pki.pem('inspection-org-ca'), keyPem: pki.keyPem('inspection-org-ca') },
      trustCaFile: pki.path('web-root.pem'),
      hosts: { [IDP_HOST]: '127.0.0.1' },
      user: USER,
    });
  });

  /** squid logs a tunnel once both ends have closed: wait a little for the line. */
  async function loggedConnect(target: string): Promise<boolean> {
    for (let i = 0; i < 50 && !squid.connectTargets().includes(target); i++) await new Promise((r) => setTimeout(r, 50));
    return squid.connectTargets().includes(target);
  }

  afterAll(async () => {
    await squid?.stop();
    await idp?.close();
  });

  it('ssl-bump: fails as TLS inspection, naming the inspection CA', async () => {
    const { result, host } = await through(squid.ports.bump);
    expect(result.status, squid.log()).toBe('fail');
    expect(host.outcome).toBe('inspection');
    // squid signs the forged certificate with its root directly, and sends that root along.
    expect(host.inspection?.evidence).toEqual(['untrusted-root', 'organisation-ca']);
    expect(result.summary.en).toContain(ORG_CA);
    expect(result.summary.sv).toContain(ORG_CA);
    expect(host.certificates?.[0]?.issuer).toContain(`CN=${ORG_CA}`);
    expect(host.chain?.untrustedRoot).toContain(`CN=${ORG_CA}`);
    // squid forges the certificate from the real one: same names, another key.
    expect(host.certificates?.[0]?.subject).toBe('CN=idp.funktionstjanster.se, O=CGI Sverige AB (TEST), C=SE');
    expect(host.certificates?.[0]?.sha256).not.toBe(new X509Certificate(pki.der('tls-idp')).fingerprint256);
    expect(result.advice?.en).toContain('*.idp.funktionstjanster.se');
  });

  it('ssl-bump with the organisation CA trusted: still TLS inspection, since a root outside Mozilla signed the server certificate', async () => {
    const { result, host } = await runIdpTls(idp.port, {
      noProxy: false,
      proxy: proxy(squid.ports.bump),
      caFiles: [pki.path('web-root.pem'), pki.path('inspection-org-ca.pem')],
      timeoutMs: 5000,
    });
    expect(result.status).toBe('fail');
    expect(host.chain?.trusted).toBe(true);
    expect(host.outcome).toBe('inspection');
    expect(host.inspection?.evidence).toEqual(['organisation-ca']);
    expect(result.summary.en).toContain('TLS inspection');
  });

  it('ssl-bump asking for client certificates from its own CA, that CA trusted: TLS inspection, never a pass', async () => {
    const { result, host } = await runIdpTls(idp.port, {
      noProxy: false,
      proxy: proxy(squid.ports.bumpClientCa),
      caFiles: [pki.path('web-root.pem'), pki.path('inspection-org-ca.pem')],
      timeoutMs: 5000,
    });
    expect(result.status, squid.log()).toBe('fail');
    expect(host.outcome).toBe('inspection');
    expect(host.clientCertificateRequest).toMatchObject({ seen: true, requested: true, cardAuthorities: [] });
    expect(host.clientCertificateRequest?.authorities?.[0]).toContain(`CN=${ORG_CA}`);
    expect(host.inspection?.evidence).toEqual(['organisation-ca', 'client-ca-is-servers-own']);
    expect(result.summary.en).toContain('TLS inspection');
    expect(result.summary.sv).toContain('TLS-inspektion');
    expect(result.notes?.map((n) => n.en)).toContain('    None of them is a SITHS or Efos CA.');
  });

  it('ssl-bump asking for client certificates, its CA not trusted: TLS inspection', async () => {
    const { result, host } = await through(squid.ports.bumpClientCa);
    expect(result.status).toBe('fail');
    expect(host.inspection?.evidence).toEqual(['untrusted-root', 'organisation-ca', 'client-ca-is-servers-own']);
  });

  it('a splice rule only tunnels: passes with the client CA names', async () => {
    const { result, host } = await through(squid.ports.splice);
    expect(result.status, squid.log()).toBe('pass');
    expect(host.clientCertificateRequest?.authorities).toContain(SITHS_ROOT);
    expect(host.route).toMatchObject({ mode: 'http', proxy: proxy(squid.ports.splice) });
  });

  it('a plain CONNECT proxy: passes', async () => {
    const { result, host } = await through(squid.ports.tunnel);
    expect(result.status).toBe('pass');
    expect(host.certificates?.[0]?.sha256).toBe(new X509Certificate(pki.der('tls-idp')).fingerprint256);
    // The --resolve rule for the IdP went to the proxy as its address: the proxy cannot know the rule.
    expect(await loggedConnect(`127.0.0.1:${idp.port}`)).toBe(true);
  });

  it('a proxy that demands a login: 407 without or with wrong credentials, pass with the right ones', async () => {
    const without = await through(squid.ports.auth);
    expect(without.host).toMatchObject({ outcome: 'proxy-auth', error: { httpStatus: 407, credentialsSent: false, authSchemes: ['Basic'] } });
    expect(without.result.summary.en).toContain('requires a login (407)');
    const wrong = await through(squid.ports.auth, `${USER.name}:wrong@`);
    expect(wrong.host).toMatchObject({ outcome: 'proxy-auth', error: { credentialsSent: true } });
    expect(wrong.result.summary.en).toContain('rejected the user name and password');
    const right = await through(squid.ports.auth, `${USER.name}:${USER.password}@`);
    expect(right.host.outcome).toBe('pass');
    expect(JSON.stringify(right.result)).not.toContain(USER.password);
  });

  it('PAC failover: "PROXY dead; PROXY live; DIRECT" uses the live proxy, as browsers do, and says which', async () => {
    const dead = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-pac-'));
    const pac = path.join(dir, 'proxy.pac');
    writeFileSync(pac, `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${dead}; PROXY 127.0.0.1:${squid.ports.tunnel}; DIRECT"; }`);
    const { result, host } = await runIdpTls(idp.port, { noProxy: false, pac, timeoutMs: 5000 });
    expect(result.status, JSON.stringify(host)).toBe('pass');
    expect(host.route).toMatchObject({ mode: 'http', proxy: proxy(squid.ports.tunnel), source: 'pac' });
    expect(host.route.skipped).toEqual([{ route: proxy(dead), error: expect.stringContaining('') }]);
    expect(result.notes?.[0]?.en).toContain(`${proxy(dead)} (`);
    expect(result.notes?.[0]?.en).toContain(`${proxy(squid.ports.tunnel)} was used`);
    // A proxy that answers "no" (403) is an answer: no failover past it.
    writeFileSync(pac, `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${squid.ports.deny}; DIRECT"; }`);
    const denied = await runIdpTls(idp.port, { noProxy: false, pac, timeoutMs: 5000 });
    expect(denied.host).toMatchObject({ outcome: 'proxy-forbidden', route: { proxy: proxy(squid.ports.deny) } });
    // Dead, then DIRECT.
    writeFileSync(pac, `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${dead}; DIRECT"; }`);
    const direct = await runIdpTls(idp.port, { noProxy: false, pac, timeoutMs: 5000 });
    expect(direct.host.route).toMatchObject({ mode: 'direct', skipped: [{ route: proxy(dead) }] });
    expect(direct.result.status).toBe('pass');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a proxy that refuses: 403', async () => {
    const { result, host } = await through(squid.ports.deny);
    expect(host).toMatchObject({ outcome: 'proxy-forbidden', error: { httpStatus: 403, at: 'proxy' } });
    expect(result.advice?.en).toContain('*.idp.funktionstjanster.se');
  });

  it('a proxy that cannot reach the host: 5xx', async () => {
    const closedPort = await freePort();
    const { host } = await runIdpTls(closedPort, { noProxy: false, proxy: proxy(squid.ports.tunnel), timeoutMs: 5000 });
    expect(host.outcome).toBe('proxy-upstream');
    expect([502, 503, 504]).toContain(host.error?.httpStatus);
  });

  describe('the command line, as a child process', () => {
    const common = () => ['--idp-host', `${IDP_HOST}:${idp.port}`, '--ca-file', pki.path('web-root.pem'), '--timeout', '5000'];

    it('direct to the stand-in IdP: pass, listing the client CA names', async () => {
      const run = await runBin(['check', 'idp-tls', '--no-proxy', '--resolve', `${IDP_HOST}:${idp.port}:127.0.0.1`, ...common(), '--format', 'json']);
      expect(run.code, run.stderr).toBe(0);
      const check = JSON.parse(run.stdout).checks.find((c: { id: string }) => c.id === 'idp-tls');
      expect(check.status).toBe('pass');
      expect(check.details.hosts[0].clientCertificateRequest.authorities).toContain(SITHS_ROOT);
    });

    it('through squid ssl-bump: fail, naming the inspection CA, exit code 1', async () => {
      const run = await runBin(['check', 'idp-tls', '--proxy', proxy(squid.ports.bump), ...common()]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('[✗] TLS to the login service');
      expect(run.stdout).toContain(ORG_CA);
      expect(run.stdout).toContain('do not decrypt');
    });

    it('through the plain proxy: pass', async () => {
      const run = await runBin(['check', 'idp-tls', '--proxy', proxy(squid.ports.tunnel), ...common(), '--format', 'json']);
      expect(run.code, run.stdout).toBe(0);
      expect(JSON.parse(run.stdout).summary.status).toBe('pass');
      // Without --resolve the proxy gets the name and looks it up itself (here in its hosts_file), as for most users.
      expect(await loggedConnect(`${IDP_HOST}:${idp.port}`)).toBe(true);
    });

    it('siths-doctor tls shows the presented chain and the client CA names without --verbose', async () => {
      const run = await runBin(['tls', `${IDP_HOST}:${idp.port}`, '--no-proxy', '--resolve', `${IDP_HOST}:${idp.port}:127.0.0.1`, '--ca-file', pki.path('web-root.pem'), '--lang', 'sv']);
      expect(run.code, run.stderr).toBe(0);
      const leaf = new X509Certificate(pki.der('tls-idp'));
      expect(run.stdout).toContain('#1 CN=idp.funktionstjanster.se, O=CGI Sverige AB (TEST), C=SE');
      expect(run.stdout).toContain('#2 CN=TEST Global G2 TLS RSA SHA256 2020 CA1');
      expect(run.stdout).toContain(`SHA-256 ${leaf.fingerprint256}`);
      expect(run.stdout).toContain(`giltigt ${new Date(leaf.validFrom).toISOString().slice(0, 10)}`);
      expect(run.stdout).toContain(SITHS_ROOT);
      expect(run.stdout).toContain('Servern ber om klientcertifikat');
      expect(run.stdout).not.toContain('"hosts"');
    });

    it('siths-doctor tls in markdown and JSON carries the same evidence', async () => {
      const args = ['tls', `${IDP_HOST}:${idp.port}`, '--proxy', proxy(squid.ports.bump), '--ca-file', pki.path('web-root.pem')];
      const markdown = await runBin([...args, '--format', 'markdown']);
      expect(markdown.stdout).toContain(`CN=${ORG_CA}`);
      expect(markdown.stdout).toContain('## ');
      const json = JSON.parse((await runBin([...args, '--format', 'json'])).stdout);
      expect(json.checks.map((c: { id: string }) => c.id)).toEqual(['proxy', 'idp-tls']);
      expect(json.checks[1].details.hosts[0].inspection.evidence).toContain('untrusted-root');
    });
  });
});
