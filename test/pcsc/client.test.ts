import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPcsc } from '../../src/pcsc/client.js';
import { isPcscError } from '../../src/pcsc/errors.js';
import type { ReaderChange } from '../../src/pcsc/types.js';

const SCRIPTED_HOST = fileURLToPath(new URL('../helpers/scripted-host.mjs', import.meta.url));
const NO_SERVICE = { kind: 'no-service', message: 'SCardEstablishContext error: Service not available.(0x8010001d)', code: 0x8010001d };

/** The real client, with a scripted helper process in place of the one that loads the PC/SC library. */
function scripted(script: Record<string, unknown>) {
  return createPcsc({ hostScript: SCRIPTED_HOST, env: { ...process.env, SCRIPTED_HOST: JSON.stringify(script) } });
}

describe('the PC/SC client (parent side of the helper process)', () => {
  it('establishes again once after SCARD_E_NO_SERVICE (Windows restarts SCardSvr on demand)', async () => {
    const pcsc = scripted({ establish: [{ error: NO_SERVICE }, { value: null }] });
    try {
      await expect(pcsc.establish({ timeoutMs: 5000 })).resolves.toBeDefined();
    } finally {
      await pcsc.close();
    }
  });

  it('fails with no-service when the second attempt fails too', async () => {
    const pcsc = scripted({ establish: [{ error: NO_SERVICE }] });
    try {
      await expect(pcsc.establish({ timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'no-service', codeName: 'SCARD_E_NO_SERVICE' });
    } finally {
      await pcsc.close();
    }
  });

  it('re-establishes once when a call meets a stopped service, then retries the call', async () => {
    const pcsc = scripted({ list: [{ error: NO_SERVICE }, { value: [{ name: 'R', flags: 0x10, atr: new Uint8Array() }] }] });
    try {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      await expect(context.listReaders({ timeoutMs: 5000 })).resolves.toMatchObject([{ name: 'R', card: 'absent' }]);
    } finally {
      await pcsc.close();
    }
  });

  it('gives up on a helper that does not answer within the time limit, and starts a new one for the next call', async () => {
    const pcsc = scripted({ list: [{ hang: true }] });
    try {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      const started = performance.now();
      const failure = await context.listReaders({ timeoutMs: 300 }).catch((err: unknown) => err);
      expect(isPcscError(failure, 'timeout')).toBe(true);
      expect(performance.now() - started).toBeLessThan(2000);
      await expect(pcsc.establish({ timeoutMs: 5000 })).resolves.toBeDefined();
    } finally {
      await pcsc.close();
    }
  });

  it('turns a helper that dies into a clear error, not a hang', async () => {
    const pcsc = scripted({ connect: [{ crash: true }] });
    try {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      await expect(context.connect('R', { timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'helper-failed', message: expect.stringContaining('exit code 3') });
    } finally {
      await pcsc.close();
    }
  });

  it('reports a module that cannot load as module-unavailable, with what is wrong', async () => {
    const pcsc = scripted({ hello: { type: 'hello', ok: false, error: { kind: 'module-unavailable', moduleProblem: 'library-missing', message: 'libpcsclite.so.1: cannot open shared object file' } } });
    try {
      await expect(pcsc.establish({ timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'module-unavailable', moduleProblem: 'library-missing' });
    } finally {
      await pcsc.close();
    }
  });

  it('fails clearly when the helper script itself is missing', async () => {
    const pcsc = createPcsc({ hostScript: '/nonexistent/siths-doctor/host.js' });
    try {
      await expect(pcsc.establish({ timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'helper-failed' });
    } finally {
      await pcsc.close();
    }
  });

  it('keeps a watch going over one lost service, and ends it the second time', async () => {
    const readers = { kind: 'readers', names: ['R'] };
    const absent = { kind: 'status', reader: 'R', flags: 0x10, atr: new Uint8Array() };
    const lost = { kind: 'error', error: { kind: 'no-service', message: 'SCardGetStatusChange error: RPC transport error.(0x80100013)', code: 0x80100013 } };
    const pcsc = scripted({ watch: [{ value: 7, events: [readers, absent, lost] }, { value: 8, events: [readers, absent, lost] }] });
    const changes: ReaderChange[] = [];
    try {
      const context = await pcsc.establish({ timeoutMs: 5000 });
      const failure = await context.watch((c) => changes.push(c), { signal: new AbortController().signal, timeoutMs: 5000 }).catch((err: unknown) => err);
      expect(isPcscError(failure, 'no-service')).toBe(true);
      expect(changes.map((c) => c.kind)).toEqual(['snapshot', 'service-restarted']);
    } finally {
      await pcsc.close();
    }
  });
});
