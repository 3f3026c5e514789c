import { PcscError } from './errors.js';
import type { WireError, WireReader, WireWatchEvent } from './host-protocol.js';
import { SCARD_INFINITE, PNP_NOTIFICATION, type Handle, type ReaderName, type WinSCard } from './winscard.js';

/** A failure as it travels to the parent process. */
export function wire(err: unknown): WireError {
  const e = err instanceof PcscError ? err : new PcscError('other', err instanceof Error ? err.message : String(err));
  return { message: e.message, kind: e.kind, ...(e.code === undefined ? {} : { code: e.code }) };
}

const SCARD_STATE_CHANGED = 0x0002;
const SCARD_STATE_UNKNOWN = 0x0004;

/**
 * Every reader's current state: SCardListReaders, then SCardGetStatusChange
 * with no wait and every reader "unaware", which answers at once.
 */
export async function snapshot(lib: WinSCard, context: Handle, names?: readonly ReaderName[]): Promise<{ names: ReaderName[]; readers: WireReader[] }> {
  const listed = names ? [...names] : await lib.listReaders(context);
  if (listed.length === 0) return { names: listed, readers: [] };
  const states = await lib.getStatusChange(context, listed.map((r) => ({ raw: r.raw, current: 0 })), 0);
  return { names: listed, readers: listed.map((r, i) => ({ name: r.name, flags: states?.[i]?.state ?? 0, atr: states?.[i]?.atr ?? new Uint8Array() })) };
}

/**
 * pcsc-lite answers a wait that a dying pcscd broke off with
 * SCARD_W_SECURITY_VIOLATION; on a context that already worked that is the
 * service going away, not a refusal.
 */
function lostService(err: unknown): unknown {
  if (err instanceof PcscError && err.kind === 'access-denied') return new PcscError('no-service', `${err.message}: the service went away during the wait`, err.code);
  return err;
}

/**
 * One watch, the way pcsc_scan does it: one SCardGetStatusChange on every
 * reader and on the `\\?PnP?\Notification` pseudo-reader, on a context of
 * its own, waiting without a time limit; `stop` ends the wait with
 * SCardCancel. Reports raw lists and states; the parent diffs them.
 */
export class ReaderWatch {
  private context: Handle | undefined;
  private stopped = false;

  constructor(
    private readonly lib: WinSCard,
    private readonly send: (event: WireWatchEvent) => void,
  ) {}

  async start(): Promise<void> {
    this.context = await this.lib.establish();
    void this.loop(this.context);
  }

  stop(): void {
    this.stopped = true;
    if (this.context !== undefined) void this.lib.cancel(this.context);
  }

  private async loop(context: Handle): Promise<void> {
    const pnp = { name: PNP_NOTIFICATION, raw: this.lib.encodeName(PNP_NOTIFICATION) };
    try {
      let names = await this.lib.listReaders(context);
      this.send({ kind: 'readers', names: names.map((r) => r.name) });
      const current = new Map<string, number>(names.map((r) => [r.name, 0]));
      let pnpState = 0;
      while (!this.stopped) {
        const watched = [...names, pnp];
        const result = await this.lib.getStatusChange(
          context,
          watched.map((r, i) => ({ raw: r.raw, current: i === names.length ? pnpState : (current.get(r.name) ?? 0) })),
          SCARD_INFINITE,
        );
        if (this.stopped) break;
        if (!result) continue;
        let relist = false;
        result.forEach((status, i) => {
          if (i === names.length) {
            // The reader count lives in the high 16 bits; relisting is cheap, so any change relists.
            if (status.state & SCARD_STATE_CHANGED) relist = true;
            pnpState = status.state & ~SCARD_STATE_CHANGED;
            return;
          }
          const reader = names[i]!;
          if (!(status.state & SCARD_STATE_CHANGED) && current.get(reader.name) !== 0) return;
          current.set(reader.name, status.state & ~SCARD_STATE_CHANGED);
          if (status.state & SCARD_STATE_UNKNOWN) relist = true;
          else this.send({ kind: 'status', reader: reader.name, flags: status.state, atr: status.atr });
        });
        if (!relist) continue;
        const next = await this.lib.listReaders(context);
        for (const gone of names.filter((r) => !next.some((n) => n.name === r.name))) {
          current.delete(gone.name);
          this.send({ kind: 'reader-gone', reader: gone.name });
        }
        for (const added of next) if (!current.has(added.name)) current.set(added.name, 0);
        names = next;
        this.send({ kind: 'readers', names: names.map((r) => r.name) });
      }
    } catch (err) {
      if (!this.stopped) this.send({ kind: 'error', error: wire(lostService(err)) });
    } finally {
      await this.lib.release(context);
    }
  }
}
