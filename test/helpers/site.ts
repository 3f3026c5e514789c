import { DEFAULT_IDP_HOST, defaultOptions, type DoctorOptions } from '../../src/options.js';
import { testPki } from './pki.js';

/** The names the loopback servers stand in for; --resolve points them at 127.0.0.1. */
export const TEST_HOST = 'test.siths.se';
export const IDP_HOST = DEFAULT_IDP_HOST;

/**
 * Options that send every name a run may touch to the loopback server on
 * `port` (the test page and the IdP, so no test ever asks real DNS), trust
 * the TEST web root, and keep the time limit short.
 */
export function siteOptions(port: number, path = '/', overrides: Partial<DoctorOptions> = {}): DoctorOptions {
  return defaultOptions({
    testUrl: `https://${TEST_HOST}:${port}${path}`,
    idpHosts: [{ host: IDP_HOST, port }],
    resolve: [
      { host: TEST_HOST, port, address: '127.0.0.1' },
      { host: IDP_HOST, port, address: '127.0.0.1' },
    ],
    caFiles: [testPki().path('web-root.pem')],
    timeoutMs: 2000,
    ...overrides,
  });
}

/** The same as command-line arguments, for runBin. */
export function siteArgs(port: number, path = '/', timeoutMs = 2000): string[] {
  return [
    '--test-url', `https://${TEST_HOST}:${port}${path}`,
    '--idp-host', `${IDP_HOST}:${port}`,
    '--resolve', `${TEST_HOST}:${port}:127.0.0.1`,
    '--resolve', `${IDP_HOST}:${port}:127.0.0.1`,
    '--ca-file', testPki().path('web-root.pem'),
    '--timeout', String(timeoutMs),
  ];
}
