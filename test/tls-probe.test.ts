import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIdpTls } from './helpers/idp-tls-run.js';
import { testPki } from './helpers/pki.js';
import { IDP_HOST, startIdpServer, type RunningServer } from './helpers/tls-servers.js';

const pki = testPki();
const SITHS_ROOT = 'CN=TEST SITHS e-id Root CA v2, O=Inera AB (TEST), C=SE';
const servers: Record<string, RunningServer> = {};

beforeAll(async () => {
  servers.idp = await startIdpServer();
  servers.tls13 = await startIdpServer({ minVersion: 'TLSv1.3' });
  servers.zscaler = await startIdpServer({ chainFile: 'tls-idp-zscaler.chain.pem', keyName: 'tls-idp-zscaler' });
  servers.noRequest = await startIdpServer({ requestCert: false });
  servers.expired = await startIdpServer({ chainFile: 'tls-idp-expired.chain.pem', keyName: 'tls-idp-expired' });
  servers.wrongHost = await startIdpServer({ chainFile: 'tls-wrong-host.chain.pem', keyName: 'tls-wrong-host' });
  servers.httpsProxy = await startHttpsConnectProxy(servers.idp.port);
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

/** An https:// CONNECT proxy (TLS to the proxy itself, as test.siths.se), tunnelling every CONNECT to the IdP stand-in. */
async function startHttpsConnectProxy(targetPort: number): Promise<RunningServer> {
  const server = tls.createServer({ cert: readFileSync(pki.path('tls-test-siths.chain.pem')), key: pki.keyPem('tls-test-siths') }, (client) => {
    client.once('data', (head: Buffer) => {
      if (!head.toString('latin1').startsWith(`CONNECT ${IDP_HOST}:`)) return client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      const upstream = net.connect({ host: '127.0.0.1', port: targetPort }, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, close: () => new Promise((r) => server.close(() => r())) };
}

describe('idp-tls against TLS servers on loopback', () => {
  it('passes the stand-in IdP and lists the client CA names it asks for', async () => {
    const { result, host } = await runIdpTls(servers.idp!.port);
    expect(result.status).toBe('pass');
    expect(host).toMatchObject({ outcome: 'pass', protocol: 'TLSv1.2', chainSource: 'as-sent', remoteAddress: `127.0.0.1:${servers.idp!.port}` });
    expect(host.certificates?.map((c) => c.subject)).toEqual([
      'CN=idp.funktionstjanster.se, O=CGI Sverige AB (TEST), C=SE',
      'CN=TEST Global G2 TLS RSA SHA256 2020 CA1, O=Example Trust Services (TEST), C=SE',
    ]);
    expect(host.certificates?.[0]?.sha256).toBe(new (await import('node:crypto')).X509Certificate(pki.der('tls-idp')).fingerprint256);
    expect(host.clientCertificateRequest?.authorities).toContain(SITHS_ROOT);
    expect(host.clientCertificateRequest?.authorities).toHaveLength(4);
    expect(result.notes?.map((n) => n.en)).toContain(`    ${SITHS_ROOT} (SITHS/Efos)`);
    expect(host.clientCertificateRequest?.cardAuthorities).toHaveLength(4);
    expect(result.summary.en).toContain('from 4 certificate authorities of SITHS/Efos');
  });

  it('falls back to Node TLS for a TLS 1.3-only server and warns that the card request cannot be seen', async () => {
    const { result, host } = await runIdpTls(servers.tls13!.port);
    expect(result.status).toBe('warn');
    expect(host).toMatchObject({ outcome: 'request-not-visible', protocol: 'TLSv1.3', chainSource: 'as-verified', clientCertificateRequest: { seen: false } });
    expect(host.certificates?.[0]?.subject).toBe('CN=idp.funktionstjanster.se, O=CGI Sverige AB (TEST), C=SE');
    expect(host.chain?.trusted).toBe(true);
  });

  it('fails as TLS inspection on a Zscaler-named chain, naming issuer and product', async () => {
    const { result, host } = await runIdpTls(servers.zscaler!.port);
    expect(result.status).toBe('fail');
    expect(host.inspection).toEqual({ evidence: ['untrusted-root', 'known-product'], product: 'Zscaler' });
    expect(result.summary.en).toContain('TEST Zscaler Intermediate Root CA');
    expect(result.advice?.en).toContain('bypass');
  });

  it('a clean public-like chain without a client-certificate request is not inspection (issue 16)', async () => {
    const { result, host } = await runIdpTls(servers.noRequest!.port);
    expect(result.status).toBe('warn');
    expect(host.outcome).toBe('no-client-certificate-request');
    expect(host.inspection).toBeUndefined();
    expect(result.summary.en).not.toContain('inspection');
    expect(result.advice?.en).toContain('No sign of TLS inspection');
    expect(host.clientCertificateRequest).toEqual({ seen: true, requested: false });
    expect(host.loginMethods).toEqual(['card-mtls', 'bankid']);
  });

  it('fails an expired certificate and one for another host with the plain cause', async () => {
    expect((await runIdpTls(servers.expired!.port)).host.outcome).toBe('expired');
    const wrong = await runIdpTls(servers.wrongHost!.port);
    expect(wrong.host.outcome).toBe('wrong-host');
    expect(wrong.result.summary.en).toContain('wrong-host.example.test');
  });

  it('fails as TLS inspection without the --ca-file root: the chain ends in no trusted root', async () => {
    const { host } = await runIdpTls(servers.idp!.port, { caFiles: [] });
    expect(host.outcome).toBe('inspection');
    expect(host.chain?.untrustedRoot).toBe('CN=TEST Public Root CA G2, O=Example Trust Services (TEST), C=US');
  });

  it('goes through an https:// CONNECT proxy', async () => {
    const port = servers.httpsProxy!.port;
    const { host } = await runIdpTls(servers.idp!.port, {
      noProxy: false,
      proxy: `https://test.siths.se:${port}`,
      resolve: [{ host: 'test.siths.se', port, address: '127.0.0.1' }],
    });
    expect(host.outcome).toBe('pass');
    expect(host.route).toMatchObject({ mode: 'http', proxy: `https://test.siths.se:${port}` });
  });

  it('reports every --idp-host, the worst deciding', async () => {
    const { result } = await runIdpTls(servers.idp!.port, {
      idpHosts: [
        { host: IDP_HOST, port: servers.idp!.port },
        { host: IDP_HOST, port: servers.wrongHost!.port },
      ],
      resolve: [
        { host: IDP_HOST, port: servers.idp!.port, address: '127.0.0.1' },
        { host: IDP_HOST, port: servers.wrongHost!.port, address: '127.0.0.1' },
      ],
    });
    expect(result.status).toBe('fail');
    expect(result.details?.hosts.map((h) => h.outcome)).toEqual(['pass', 'wrong-host']);
    expect(result.summary.en).toContain('wrong-host.example.test');
  });
});
