import { defaultOptions, type DoctorOptions } from '../../src/options.js';
import type { CheckResult } from '../../src/model.js';
import { idpTlsProbe, type IdpTlsDetails } from '../../src/probes/idp-tls.js';
import { proxyProbe } from '../../src/probes/proxy.js';
import { runProbes } from '../../src/runner.js';
import type { HostDetails } from '../../src/tls/evidence.js';
import { testPki } from './pki.js';
import { testSystem } from './system.js';
import { IDP_HOST } from './tls-servers.js';

export interface IdpTlsRun {
  readonly result: CheckResult<IdpTlsDetails>;
  readonly host: HostDetails;
  readonly ms: number;
}

/**
 * Run the proxy and idp-tls checks in process against a loopback server
 * answering as the IdP on `port` (--resolve to 127.0.0.1, --ca-file with
 * the TEST "public" root, no proxy unless the options say so).
 */
export async function runIdpTls(port: number, options: Partial<DoctorOptions> = {}, signal?: AbortSignal): Promise<IdpTlsRun> {
  const opts = defaultOptions({
    idpHosts: [{ host: IDP_HOST, port }],
    resolve: [{ host: IDP_HOST, port, address: '127.0.0.1' }],
    noProxy: true,
    caFiles: [testPki().path('web-root.pem')],
    timeoutMs: 1500,
    ...options,
  });
  const started = performance.now();
  const results = await runProbes({ probes: [proxyProbe, idpTlsProbe], options: opts, system: testSystem(), signal });
  const result = results.find((r) => r.id === 'idp-tls') as CheckResult<IdpTlsDetails>;
  return { result, host: result.details?.hosts?.[0] as HostDetails, ms: performance.now() - started };
}
