import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CheckResult } from '../src/model.js';
import type { NetidTokenDetails } from '../src/netid/token-outcome.js';
import type { NetidDetails } from '../src/netid/types.js';
import { defaultOptions } from '../src/options.js';
import { pkcs11Inspector } from '../src/pkcs11/inspector.js';
import { netidTokenProbe } from '../src/probes/netid-token.js';
import { netidProbe } from '../src/probes/netid.js';
import { runProbes } from '../src/runner.js';
import { Iso7816Card } from './emulator/iso7816-card.js';
import { SITHS_TEST_ATR, sithsTestCard } from './emulator/pkcs15-image.js';
import { CardBench } from './helpers/card-bench.js';
import { OPENSC_PREREQUISITE, writeOpenscConfig } from './helpers/opensc.js';
import { PCSC_PREREQUISITES } from './helpers/pcscd.js';
import { describeWith } from './helpers/prereq.js';
import { rootedFileSystem } from './helpers/recorded.js';
import { PKCS11_CHILD } from './helpers/system.js';

/** Debian's OpenSC PKCS#11 module; it stands in for SAC's libeTPkcs11.so, which no CI machine may install. */
const OPENSC_MODULE = `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/opensc-pkcs11.so`;

/**
 * A Linux machine whose disk is a temp folder holding SAC's library where SAC
 * installs it (/usr/lib/libeTPkcs11.so), the library really being OpenSC's,
 * reading the emulated SITHS card through a private real pcscd. The card
 * software check must pick SAC, and the token check must ask SAC and say so.
 * Without a working PKCS#11 inspector (the koffi work, issue 10) this fails:
 * it never skips under CI=true.
 */
describeWith(
  'netid-token asks SAC where SAC is installed (OpenSC in its place, the emulated card through a real pcscd)',
  [...PCSC_PREREQUISITES, OPENSC_PREREQUISITE, { need: OPENSC_MODULE, debianPackage: 'opensc-pkcs11' }],
  () => {
    let bench: CardBench;
    let root: string;
    beforeAll(async () => {
      bench = await CardBench.start();
      await bench.insert({ atr: SITHS_TEST_ATR, applet: new Iso7816Card(sithsTestCard().mf) });
      root = mkdtempSync(path.join(os.tmpdir(), 'siths-sac-root-'));
      mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
      copyFileSync(OPENSC_MODULE, path.join(root, 'usr/lib/libeTPkcs11.so'));
    }, 60_000);
    afterAll(async () => {
      await bench?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('reports the token and its certificates through "SAC"', async () => {
      const inspect = pkcs11Inspector(PKCS11_CHILD);
      const system = bench.system({
        env: { ...bench.env, OPENSC_CONF: writeOpenscConfig(root, SITHS_TEST_ATR) },
        fs: rootedFileSystem(root),
        platform: { os: 'linux', arch: 'x64', release: 'test', homedir: '/home/tolvan', nodeVersion: process.versions.node },
        // The library path the probes name is the machine's; the file is in the temp root.
        pkcs11: (library, options) => inspect(path.join(root, library), options),
      });
      const results = await runProbes({ probes: [netidProbe, netidTokenProbe], options: defaultOptions({ timeoutMs: 20_000 }), system });
      const software = results.find((r) => r.id === 'card-software') as CheckResult<NetidDetails>;
      const token = results.find((r) => r.id === 'netid-token') as CheckResult<NetidTokenDetails>;

      expect(software.details).toMatchObject({ product: 'sac', pkcs11Library: '/usr/lib/libeTPkcs11.so', pkcs11LibrarySource: 'search' });
      expect(token.summary.en, JSON.stringify(token.details)).toMatch(/^SafeNet Authentication Client \(SAC\) sees the card “.*” \(.*\) with \d+ certificates?: /);
      expect(token.status).toBe('pass');
      expect(token.details).toMatchObject({ library: '/usr/lib/libeTPkcs11.so', middleware: { product: 'sac', name: 'SafeNet Authentication Client (SAC)' } });
      expect(token.details!.certificates).toBeGreaterThanOrEqual(1);
      expect(token.notes![0]!.en).toBe('Asked SafeNet Authentication Client (SAC): /usr/lib/libeTPkcs11.so');
    }, 120_000);
  },
);
