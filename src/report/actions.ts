import type { Status } from '../model.js';
import type { RenderedCheck, RenderedCommand, RenderedReport } from './report.js';

/** One numbered step of "What to do". */
export interface Action {
  readonly check: RenderedCheck;
  readonly status: Status;
  /** The cause in plain words, for a root cause that explains other checks. */
  readonly cause?: string;
  readonly advice: string;
  /** Only the commands for the platform the report was made on. */
  readonly commands: readonly RenderedCommand[];
  readonly links: RenderedCheck['links'];
  readonly agentHint: string;
}

/**
 * "What to do" in the order to act: each root cause once, first, with its
 * one piece of advice; then every other check that needs something done,
 * failures before warnings. Checks that failed because of a root cause add
 * nothing: fixing the cause fixes them.
 */
export function actionsOf(report: RenderedReport): readonly Action[] {
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const forPlatform = (c: RenderedCheck): readonly RenderedCommand[] =>
    c.commands.filter((cmd) => cmd.platform === undefined || cmd.platform === report.platform.os);
  const roots: Action[] = report.rootCauses.map((rc) => {
    const check = byId.get(rc.check)!;
    const network = rc.cause !== 'prerequisite';
    return {
      check,
      status: check.status,
      ...(network ? { cause: rc.summary } : {}),
      advice: rc.advice,
      // A network cause has advice of its own; the root check's commands are for its own wording.
      commands: network ? [] : forPlatform(check),
      links: network ? [] : check.links,
      agentHint: check.agentHint,
    };
  });
  const rootIds = new Set(report.rootCauses.map((rc) => rc.check));
  const rank: Partial<Record<Status, number>> = { fail: 0, error: 1, warn: 2 };
  const others = report.checks
    .filter((c) => !rootIds.has(c.id) && c.because === undefined && c.advice !== '' && rank[c.status] !== undefined)
    .sort((a, b) => rank[a.status]! - rank[b.status]!)
    .map((check) => ({ check, status: check.status, advice: check.advice, commands: forPlatform(check), links: check.links, agentHint: check.agentHint }));
  // The same advice for two checks is one thing to do: say it once, at the first.
  const seen = new Set<string>();
  return [...roots, ...others].filter((a) => {
    const key = a.advice + a.commands.map((c) => c.run).join('\n');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
