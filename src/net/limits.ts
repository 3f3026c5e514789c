/**
 * Time limits for the phases of one exchange (DNS, TCP, the proxy's answer,
 * TLS, and for idp-tls the server's TLS greeting): each phase gets
 * `timeoutMs`, and with a total, no more than what is left of it, so a peer
 * that is slow at every step still ends in time. The signal stops whatever
 * phase is running.
 */
export class PhaseLimits {
  private readonly deadline: number | undefined;

  constructor(
    readonly timeoutMs: number,
    readonly signal?: AbortSignal,
    totalMs?: number,
  ) {
    this.deadline = totalMs === undefined ? undefined : performance.now() + totalMs;
  }

  /** The time the next phase may take. */
  next(): number {
    if (this.deadline === undefined) return this.timeoutMs;
    return Math.max(1, Math.min(this.timeoutMs, Math.round(this.deadline - performance.now())));
  }
}

/** The errors a phase ends with when its time runs out or the caller stops it, in the caller's vocabulary. */
export interface PhaseEndings {
  timeout(limitMs: number): Error;
  aborted(): Error;
}

/**
 * Wait for one phase: `start` wires up listeners and returns their cleanup;
 * the phase ends with the first of settle, time limit or abort, and the
 * cleanup always runs exactly once. Tearing down what the phase opened (a
 * half-open socket) is the caller's, on rejection.
 */
export function runPhase<T>(
  limits: PhaseLimits,
  endings: PhaseEndings,
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => () => void,
): Promise<T> {
  const limitMs = limits.next();
  const { signal } = limits;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let cleanup: (() => void) | undefined;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      cleanup?.();
      fn();
    };
    const onAbort = (): void => finish(() => reject(endings.aborted()));
    const timer = setTimeout(() => finish(() => reject(endings.timeout(limitMs))), limitMs);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanup = start(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
    if (settled) cleanup();
  });
}
