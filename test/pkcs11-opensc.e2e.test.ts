import { afterAll, beforeAll, expect, it } from 'vitest';
import { readCardCertificatesFromReader } from '../src/card/read-certificates.js';
import type { CheckResult } from '../src/model.js';
import type { NetidTokenDetails } from '../src/netid/token-outcome.js';
import { defaultOptions } from '../src/options.js';
import { pkcs11Inspector } from '../src/pkcs11/inspector.js';
import { netidProbe } from '../src/probes/netid.js';
import { netidTokenProbe } from '../src/probes/netid-token.js';
import { runProbes } from '../src/runner.js';
import { CardBench } from './helpers/card-bench.js';
import { OPENSC_PREREQUISITE, writeOpenscConfig } from './helpers/opensc.js';
import { PCSC_PREREQUISITES } from './helpers/pcscd.js';
import { describeWith } from './helpers/prereq.js';
import { PKCS11_CHILD } from './helpers/system.js';
import { Iso7816Card } from './emulator/iso7816-card.js';
import { SITHS_TEST_ATR, sithsTestCard } from './emulator/pkcs15-image.js';

const OPENSC_PKCS11 = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
/** A PKCS#11 "library" built for another machine: koffi's own aarch64 binary from its npm package. */
const ARM64_LIBRARY = new URL('../node_modules/koffi/build/koffi/linux_arm64/koffi.node', import.meta.url).pathname;

describeWith(
  'netid-token through koffi against OpenSC’s opensc-pkcs11.so, reading the emulated card through the real pcscd',
  [...PCSC_PREREQUISITES, OPENSC_PREREQUISITE, { need: OPENSC_PKCS11, debianPackage: 'opensc-pkcs11' }],
  () => {
    let bench: CardBench;
    let env: Record<string, string>;
    beforeAll(async () => {
      bench = await CardBench.start();
      await bench.insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard().mf) });
      // The child gets the run's environment: PCSCLITE_CSOCK_NAME leads OpenSC to our pcscd.
      env = { ...bench.env, OPENSC_CONF: writeOpenscConfig(bench.pcscd.dir, SITHS_TEST_ATR) };
    });
    afterAll(async () => {
      await bench?.stop();
    });

    const run = async (library: string) => {
      const results = await runProbes({ probes: [netidProbe, netidTokenProbe], options: defaultOptions({ pkcs11Module: library }), system: bench.system({ env }) });
      return results.find((r) => r.id === 'netid-token') as CheckResult<NetidTokenDetails>;
    };

    it('a real middleware sees the token, and its certificates are byte for byte the ones card-cert reads', async () => {
      const token = await run(OPENSC_PKCS11);
      expect(token.status, token.summary.en).toBe('pass');
      expect(token.details).toMatchObject({ library: OPENSC_PKCS11, tokens: 1, libraryInfo: { manufacturer: 'OpenSC Project' } });

      const inspection = await pkcs11Inspector(PKCS11_CHILD)(OPENSC_PKCS11, { timeoutMs: 20_000, env });
      expect(inspection.kind).toBe('ok');
      if (inspection.kind !== 'ok') return;
      const slot = inspection.report.slots.find((s) => s.token)!;
      expect(slot.description).toContain(bench.reader(0));
      const middleware = slot.certificates!.map((c) => c.der!).sort();
      const ours = (await readCardCertificatesFromReader(bench.pcsc, bench.reader(0), { timeoutMs: 10_000 })).certificates.map((c) => c.der.toString('base64')).sort();
      expect(middleware.length).toBe(7);
      expect(middleware).toEqual(ours);
    }, 120_000);

    it('a PKCS#11 library built for another architecture (aarch64) ends in a clear failure, not a crash', async () => {
      const token = await run(ARM64_LIBRARY);
      expect(token.status).toBe('fail');
      expect(token.summary.en).toMatch(/does not load as a PKCS#11 library: .*(wrong ELF class|cannot open shared object|ELF)/);
      expect(token.details).toMatchObject({ stage: 'load-library' });
    }, 60_000);
  },
);
