import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPcsc } from '../../src/pcsc/client.js';
import { isPcscError } from '../../src/pcsc/errors.js';
import type { Pcsc, ReaderChange } from '../../src/pcsc/types.js';

const SCRIPTED_HOST = fileURLToPath(new URL('../helpers/scripted-host.mjs', import.meta.url));
const NO_SERVICE = { kind: 'no-service', message: 'SCardEstablishContext error: Service not available.(0x8010001d)', code: 0x8010001d };

/** The real client, with a scripted helper process in place of the one that loads the PC/SC library. */
function scripted(script: Record<string, unknown>, platform: NodeJS.Platform = 'linux'): Pcsc {
  return createPcsc({ hostScript: SCRIPTED_HOST, env: { ...process.env, SCRIPTED_HOST: JSON.stringify(script) }, platform });
}

/** Run `body` with the client, and close it (and its helper process) whatever happens. */
async function withClient(pcsc: Pcsc, body: (pcsc: Pcsc) => Promise<void>): Promise<void> {
  try {
    await body(pcsc);
  } finally {
    await pcsc.close();
  }
}

describe('the PC/SC client (parent side of the helper process)', () => {
  it('on Windows, establishes again once after SCARD_E_NO_SERVICE (SCardSvr starts on demand)', async () => {
    await withClient(scripted({ establish: [{ error: NO_SERVICE }, { value: null }] }, 'win32'), async (pcsc) => {
      await expect(pcsc.establish({ timeoutMs: 5000 })).resolves.toBeDefined();
    });
  });

  it('elsewhere, SCARD_E_NO_SERVICE from establish is the answer: no second attempt', async () => {
    await withClient(scripted({ establish: [{ error: NO_SERVICE }, { value: null }] }, 'linux'), async (pcsc) => {
      await expect(pcsc.establish({ timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'no-service' });
    });
  });

  it('on Windows, fails with no-service when the second attempt fails too', async () => {
    await withClient(scripted({ establish: [{ error: NO_SERVICE }] }, 'win32'), async (pcsc) => {
      await expect(pcsc.establish({ timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'no-service', codeName: 'SCARD_E_NO_SERVICE' });
    });
  });

  it('re-establishes once when a call meets a stopped service, then retries the call', async () => {
    await withClient(scripted({ list: [{ error: NO_SERVICE }, { value: [{ name: 'R', flags: 0x10, atr: new Uint8Array() }] }] }), async (pcsc) => {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      await expect(context.listReaders({ timeoutMs: 5000 })).resolves.toMatchObject([{ name: 'R', card: 'absent' }]);
    });
  });

  it('gives up on a helper that does not answer within the time limit, and starts a new one for the next call', async () => {
    await withClient(scripted({ list: [{ hang: true }] }), async (pcsc) => {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      const started = performance.now();
      const failure = await context.listReaders({ timeoutMs: 300 }).catch((err: unknown) => err);
      expect(isPcscError(failure, 'timeout')).toBe(true);
      expect(performance.now() - started).toBeLessThan(2000);
      await expect(pcsc.establish({ timeoutMs: 5000 })).resolves.toBeDefined();
    });
  });

  it('turns a helper that dies into a clear error, not a hang', async () => {
    await withClient(scripted({ connect: [{ crash: true }] }), async (pcsc) => {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      await expect(context.connect('R', { timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'helper-failed', message: expect.stringContaining('exit code 3') });
    });
  });

  it('reports a module that cannot load as module-unavailable, with what is wrong', async () => {
    await withClient(scripted({ hello: { type: 'hello', ok: false, error: { kind: 'module-unavailable', moduleProblem: 'library-missing', message: 'libpcsclite.so.1: cannot open shared object file' } } }), async (pcsc) => {
      await expect(pcsc.establish({ timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'module-unavailable', moduleProblem: 'library-missing' });
    });
  });

  it('fails clearly when the helper script itself is missing', async () => {
    await withClient(createPcsc({ hostScript: '/nonexistent/siths-doctor/host.js' }), async (pcsc) => {
      await expect(pcsc.establish({ timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'helper-failed' });
    });
  });

  it('keeps a watch going over one lost service, and ends it the second time', async () => {
    const readers = { kind: 'readers', names: ['R'] };
    const absent = { kind: 'status', reader: 'R', flags: 0x10, atr: new Uint8Array() };
    const lost = { kind: 'error', error: { kind: 'no-service', message: 'SCardGetStatusChange error: RPC transport error.(0x80100013)', code: 0x80100013 } };
    const changes: ReaderChange[] = [];
    await withClient(scripted({ watch: [{ value: 7, events: [readers, absent, lost] }, { value: 8, events: [readers, absent, lost] }] }), async (pcsc) => {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      const failure = await context.watch((c) => changes.push(c), { signal: new AbortController().signal, timeoutMs: 5000 }).catch((err: unknown) => err);
      expect(isPcscError(failure, 'no-service')).toBe(true);
      expect(changes.map((c) => c.kind)).toEqual(['snapshot', 'service-restarted']);
    });
  });
});
