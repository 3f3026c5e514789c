import { TlsProbeError, type Phase } from './errors.js';

/**
 * Time limits for one host: each phase (DNS, TCP connect, proxy answer, TLS
 * greeting) gets the per-operation timeout, and all of them together the
 * host's total, so a peer that is slow at every step still ends in time.
 */
export class PhaseClock {
  private readonly deadline: number;

  constructor(
    readonly timeoutMs: number,
    totalMs: number,
    readonly signal: AbortSignal,
  ) {
    this.deadline = performance.now() + totalMs;
  }

  /** The time the next phase may take. */
  limit(): number {
    return Math.max(1, Math.min(this.timeoutMs, Math.round(this.deadline - performance.now())));
  }
}

/**
 * Wait for one phase: `start` wires up listeners and returns their cleanup;
 * the phase ends with the first of settle, timeout or abort, and the cleanup
 * always runs exactly once.
 */
export function runPhase<T>(
  phase: Phase,
  clock: PhaseClock,
  onTimeout: (limitMs: number) => TlsProbeError,
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => () => void,
): Promise<T> {
  const limitMs = clock.limit();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let cleanup: (() => void) | undefined;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clock.signal.removeEventListener('abort', onAbort);
      cleanup?.();
      fn();
    };
    const onAbort = (): void => finish(() => reject(new TlsProbeError('aborted', phase, 'stopped: the check ran out of time or was cancelled')));
    const timer = setTimeout(() => finish(() => reject(onTimeout(limitMs))), limitMs);
    if (clock.signal.aborted) {
      onAbort();
      return;
    }
    clock.signal.addEventListener('abort', onAbort, { once: true });
    cleanup = start(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
    if (settled) cleanup();
  });
}
