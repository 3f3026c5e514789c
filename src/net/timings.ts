/**
 * The phases of one HTTP(S) exchange, in the order they happen. Through a
 * proxy, `dns` and `connect` are for the proxy (the proxy looks up the
 * server's name itself) and `proxyConnect` is the CONNECT request that opens
 * the tunnel. `firstByte` runs from sending the request to the first byte of
 * the answer; `body` from there to the end of what was read.
 */
export const PHASES = ['dns', 'connect', 'proxyConnect', 'tls', 'firstByte', 'body'] as const;
export type Phase = (typeof PHASES)[number];

/** Milliseconds per phase that happened; they add up to `totalMs` exactly. */
export type Timings = { readonly [P in Phase as `${P}Ms`]?: number } & { readonly totalMs: number };

/** Marks the end of each phase against one monotonic start. */
export class PhaseClock {
  private started = performance.now();
  private readonly ends = new Map<Phase, number>();

  /** Start over, before any phase has ended: the exchange proper begins now, not when it was set up. */
  restart(): void {
    if (this.ends.size === 0) this.started = performance.now();
  }

  end(phase: Phase): void {
    this.ends.set(phase, performance.now() - this.started);
  }

  /** Milliseconds from the start to the end of `phase`, if it ended. */
  endOf(phase: Phase): number | undefined {
    return this.ends.get(phase);
  }

  elapsed(): number {
    return performance.now() - this.started;
  }

  /**
   * Durations from rounded marks, so the rounded phases sum to the rounded
   * total. `failedIn` is the phase that was running when the exchange failed:
   * it gets the time from the last mark to now.
   */
  timings(failedIn?: Phase): Timings {
    const out: Record<string, number> = {};
    let previous = 0;
    for (const phase of PHASES) {
      const end = this.ends.get(phase);
      if (end === undefined) continue;
      const mark = Math.round(end);
      out[`${phase}Ms`] = mark - previous;
      previous = mark;
    }
    let total = previous;
    if (failedIn && !this.ends.has(failedIn)) {
      total = Math.max(previous, Math.round(this.elapsed()));
      out[`${failedIn}Ms`] = total - previous;
    }
    return { ...out, totalMs: total } as Timings;
  }
}

/** The phase durations that are present, in order (for sums and display). */
export function phaseDurations(timings: Timings): { phase: Phase; ms: number }[] {
  return PHASES.flatMap((phase) => {
    const ms = timings[`${phase}Ms`];
    return ms === undefined ? [] : [{ phase, ms }];
  });
}
