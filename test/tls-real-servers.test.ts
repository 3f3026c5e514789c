import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { runIdpTls } from './helpers/idp-tls-run.js';
import { MITMPROXY_PREREQUISITES, startMitmproxy, type Mitmproxy } from './helpers/mitmproxy.js';
import { testPki } from './helpers/pki.js';
import { describeWith } from './helpers/prereq.js';
import { GNUTLS, inNetworkNamespace, NGINX, OPENSSL_SERVER, startNginx, startOpensslServer } from './helpers/real-tls-servers.js';
import { IDP_HOST, startIdpServer, type RunningServer } from './helpers/tls-servers.js';

/**
 * idp-tls against real TLS servers and a real intercepting proxy, each case
 * one of the ways the verdict went wrong before (issue 12, "idp-tls and
 * tls"; issue 16, item 4), and the evidence checked against what
 * `openssl s_client -showcerts` and `gnutls-cli --print-cert` see.
 */
const pki = testPki();
const chain = (file: string) => pki.path(file);
const key = (name: string) => pki.path(`${name}.key.pem`);
const fingerprints = (text: string) => (text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem).fingerprint256);
const fingerprintOf = (name: string) => new X509Certificate(pki.der(name)).fingerprint256;

function run(file: string, args: readonly string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(file, [...args], { timeout: timeoutMs, encoding: 'utf8' }, (_err, stdout, stderr) => resolve(stdout + stderr));
    child.stdin?.end();
  });
}
const sClient = (port: number) => run('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', IDP_HOST, '-showcerts']);
const gnutlsCli = (port: number) => run('gnutls-cli', ['--insecure', '--print-cert', '--sni-hostname', IDP_HOST, '-p', String(port), '127.0.0.1']);

describeWith('idp-tls against openssl s_server and nginx', [OPENSSL_SERVER, NGINX, ...GNUTLS], () => {
  const servers: Record<string, RunningServer> = {};
  const sithsCas = pki.path('siths-card-cas.pem');

  beforeAll(async () => {
    servers.tls11 = await startOpensslServer(['-cert', pki.path('tls-idp.pem'), '-key', key('tls-idp'), '-cert_chain', pki.path('web-ca.pem'), '-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0']);
    servers.tls12 = await startOpensslServer([
      '-cert',
      pki.path('tls-idp.pem'),
      '-key',
      key('tls-idp'),
      '-cert_chain',
      pki.path('web-ca.pem'),
      '-tls1_2',
      '-verify',
      '1',
      '-CAfile',
      sithsCas,
    ]);
    servers.leafOnly = await startNginx({ chainFile: chain('tls-idp-leaf-only.chain.pem'), keyFile: key('tls-idp'), clientCaFile: sithsCas });
    servers.duplicate = await startNginx({ chainFile: chain('tls-idp-expired-duplicate.chain.pem'), keyFile: key('tls-idp'), clientCaFile: sithsCas });
    servers.lookAlike = await startIdpServer({ chainFile: 'tls-idp-lookalike.chain.pem', keyName: 'tls-idp-lookalike' });
    servers.tls13h2 = await startIdpServer({ minVersion: 'TLSv1.3', ALPNProtocols: ['h2'] });
  });

  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  it('a TLS 1.1-only server fails as outdated TLS, in both languages', async () => {
    const { result, host } = await runIdpTls(servers.tls11!.port);
    expect(result.status).toBe('fail');
    expect(host).toMatchObject({ outcome: 'outdated-tls', protocol: 'TLSv1.1', chainSource: 'as-sent' });
    expect(result.summary.en).toContain('outdated TLS version (TLSv1.1)');
    expect(result.summary.sv).toContain('föråldrad TLS-version (TLSv1.1)');
  });

  it('a leaf-only chain is an incomplete chain on the server side, not inspection', async () => {
    const { result, host } = await runIdpTls(servers.leafOnly!.port);
    expect(result.status).toBe('warn');
    expect(host.outcome).toBe('incomplete-chain');
    expect(host.inspection).toBeUndefined();
    expect(result.summary.en).toContain('incomplete chain');
    expect(result.summary.en).toContain('AIA');
    expect(result.summary.en).not.toMatch(/inspection/i);
    expect(result.advice?.en).toContain('not TLS inspection');
  });

  it('an expired duplicate intermediate sent ahead of the valid one is ignored, as browsers do', async () => {
    const { result, host } = await runIdpTls(servers.duplicate!.port);
    expect(result.status, result.summary.en).toBe('pass');
    expect(host.chain?.path).toEqual([0, 2]);
    expect(host.chain?.unused).toEqual([1]);
    expect(host.chain?.expired).toEqual([]);
  });

  it('a TLS 1.3-only server that speaks only h2: the fallback offers h2 and lists no store root as sent', async () => {
    const { result, host } = await runIdpTls(servers.tls13h2!.port);
    expect(result.status, result.summary.en).toBe('warn');
    expect(host).toMatchObject({ outcome: 'request-not-visible', protocol: 'TLSv1.3', chainSource: 'as-verified' });
    expect(host.certificates?.map((c) => c.sha256)).toEqual([fingerprintOf('tls-idp'), fingerprintOf('web-ca')]);
    expect(host.chain?.root).toMatchObject({ source: 'ca-file', sent: false });
    expect(result.notes?.map((n) => n.en).join('\n')).not.toContain('sent by the server');
  });

  it('a look-alike root named "ISRG Root X1" with another key is TLS inspection, trusted or not', async () => {
    const untrusted = await runIdpTls(servers.lookAlike!.port);
    expect(untrusted.result.status).toBe('fail');
    expect(untrusted.host.inspection?.evidence).toEqual(['look-alike-root']);
    expect(untrusted.host.chain?.lookAlikeRoot).toBe('CN=ISRG Root X1, O=Internet Security Research Group, C=US');
    expect(untrusted.result.summary.en).toContain('named like the public “ISRG Root X1” but with a different key');
    const notes = untrusted.result.notes?.map((n) => n.en) ?? [];
    expect(notes.some((n) => n.includes("a root with this name exists (in Mozilla's list), but this is a different key"))).toBe(true);
    expect(notes.join('\n')).not.toContain("in neither Mozilla's root list nor --ca-file");
    const trusted = await runIdpTls(servers.lookAlike!.port, { caFiles: [pki.path('web-root.pem'), pki.path('lookalike-isrg-root.pem')] });
    expect(trusted.result.status).toBe('fail');
    expect(trusted.host.chain?.trusted).toBe(true);
    expect(trusted.host.inspection?.evidence).toEqual(['look-alike-root']);
  });

  describe('the evidence is what openssl s_client and gnutls-cli see', () => {
    for (const name of ['tls12', 'duplicate', 'leafOnly'] as const) {
      it(`${name}: the same certificates in the same order`, async () => {
        const port = servers[name]!.port;
        const { host } = await runIdpTls(port);
        const ours = host.certificates?.map((c) => c.sha256) ?? [];
        expect(ours.length).toBeGreaterThan(0);
        expect(fingerprints(await sClient(port))).toEqual(ours);
        expect(fingerprints(await gnutlsCli(port))).toEqual(ours);
        // And the subjects read the same as openssl prints them (most specific last there, first here).
        const subjects = host.certificates?.map((c) => c.subject) ?? [];
        expect(subjects[0]).toBe('CN=idp.funktionstjanster.se, O=CGI Sverige AB (TEST), C=SE');
      });
    }

    it('the client CA names openssl s_client reports are the ones idp-tls lists', async () => {
      const port = servers.tls12!.port;
      const { host } = await runIdpTls(port);
      const text = await sClient(port);
      const section = /Acceptable client certificate CA names\n([\s\S]*?)\n(?:Requested|Client Certificate Types)/.exec(text)?.[1] ?? '';
      const theirs = section.split('\n').filter(Boolean);
      expect(theirs.length).toBe(host.clientCertificateRequest?.authorities?.length);
      for (const line of theirs) expect(host.clientCertificateRequest?.authorities?.some((a) => line.includes(a.split(', ')[0]!.slice(3)))).toBe(true);
    });
  });

  it('gnutls-serv speaking only TLS 1.3 (it refuses TLS 1.2 with handshake_failure): falls back, as browsers succeed', async () => {
    const script = [
      `gnutls-serv -p 4433 --x509certfile ${chain('tls-idp.chain.pem')} --x509keyfile ${key('tls-idp')} --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' >/dev/null 2>&1 &`,
      'server=$!',
      'for i in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/4433) 2>/dev/null && break; sleep 0.1; done',
      `"${process.execPath}" "${BIN}" check idp-tls --no-proxy --idp-host ${IDP_HOST}:4433 --resolve ${IDP_HOST}:4433:127.0.0.1 --ca-file ${pki.path('web-root.pem')} --timeout 5000 --format json`,
      'echo "---"',
      `gnutls-cli --insecure --print-cert --sni-hostname ${IDP_HOST} -p 4433 127.0.0.1 </dev/null 2>/dev/null`,
      'kill $server',
    ].join('\n');
    const { stdout, stderr } = await inNetworkNamespace(script);
    const [json, cli] = stdout.split('\n---\n');
    const check = JSON.parse(json!).checks.find((c: { id: string }) => c.id === 'idp-tls');
    const host = check.details.hosts[0];
    expect(host.outcome, stderr).toBe('request-not-visible');
    expect(host.protocol).toBe('TLSv1.3');
    expect(host.certificates.map((c: { sha256: string }) => c.sha256)).toEqual(fingerprints(cli!));
  });
});

describeWith('idp-tls through mitmproxy', MITMPROXY_PREREQUISITES, () => {
  let idp: RunningServer;
  let mitm: Mitmproxy;

  beforeAll(async () => {
    idp = await startIdpServer();
    mitm = await startMitmproxy({ askForClientCertificate: true });
  });

  afterAll(async () => {
    await mitm?.stop();
    await idp?.close();
  });

  const through = (caFiles: string[]) => runIdpTls(idp.port, { noProxy: false, proxy: `http://127.0.0.1:${mitm.port}`, caFiles, timeoutMs: 8000 });

  it('intercepting and asking for a client certificate from its own CA: TLS inspection, labelled mitmproxy', async () => {
    const { result, host } = await through([pki.path('web-root.pem')]);
    expect(result.status, mitm.log()).toBe('fail');
    expect(host.outcome).toBe('inspection');
    expect(host.inspection?.product).toBe('mitmproxy');
    expect(host.clientCertificateRequest).toMatchObject({ requested: true, cardAuthorities: [] });
    // mitmproxy writes its CA's name CN first, so it reads O first here, as openssl prints it.
    expect(host.clientCertificateRequest?.authorities).toEqual(['O=mitmproxy, CN=mitmproxy']);
    expect(host.inspection?.evidence).toContain('client-ca-is-servers-own');
  });

  it('the same with mitmproxy\'s CA trusted through --ca-file: still TLS inspection, never a pass', async () => {
    const { result, host } = await through([pki.path('web-root.pem'), mitm.caFile]);
    expect(result.status).toBe('fail');
    expect(host.chain?.trusted).toBe(true);
    expect(host.inspection?.evidence).toEqual(['organisation-ca', 'known-product', 'client-ca-is-servers-own']);
    expect(result.summary.en).not.toContain('asks for a card');
  });
});
