import { fileURLToPath } from 'node:url';
import { pkcs11Inspector } from '../../src/pkcs11/inspector.js';
import { realNetwork } from '../../src/net/http.js';
import { createPcsc, type PcscClientOptions } from '../../src/pcsc/client.js';
import type { Pcsc } from '../../src/pcsc/types.js';
import { realClock, realExec, realFileSystem, realPlatform, type Clock, type System } from '../../src/system.js';
import { realTlsClient } from '../../src/tls/read-presented.js';

/** The built PKCS#11 child entry: Node runs it as JavaScript, so tests use the one `npm test` builds into dist/. */
export const PKCS11_CHILD = fileURLToPath(new URL('../../dist/pkcs11/child-main.js', import.meta.url));

/** The compiled PC/SC helper: tests run the TypeScript sources, but the helper process needs JavaScript (npm test builds it). */
export const PCSC_HOST_SCRIPT = fileURLToPath(new URL('../../dist/pcsc/host-main.js', import.meta.url));

/** The real PC/SC adapter, for tests; `env` picks the pcscd socket (PCSCLITE_CSOCK_NAME). */
export function testPcsc(options: Omit<PcscClientOptions, 'hostScript'> = {}): Pcsc {
  return createPcsc({ hostScript: PCSC_HOST_SCRIPT, ...options });
}

/** A System for tests: the real machine, with any part replaced by a recording or a fake. */
export function testSystem(overrides: Partial<System> = {}): System {
  return {
    clock: realClock,
    env: {},
    platform: realPlatform(),
    fs: realFileSystem,
    exec: realExec,
    pkcs11: pkcs11Inspector(PKCS11_CHILD),
    tls: realTlsClient,
    net: realNetwork,
    pcsc: testPcsc(),
    ...overrides,
  };
}

/** A clock frozen at `at` (monotonic time still moves, so durations stay real). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at), monotonicMs: () => performance.now() };
}
