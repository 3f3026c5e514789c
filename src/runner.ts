import { durationText } from './i18n/duration.js';
import { msg, type Localized } from './i18n/index.js';
import { dependenciesOf, STATUSES, titleOf, type CheckResult, type Probe, type ProbeContext, type ProbeOutcome } from './model.js';
import type { DoctorOptions } from './options.js';
import type { System } from './system.js';

type AnyProbe = Probe<object>;

/** A mistake in what the user asked for (unknown check id): exit code 2. */
export class UsageError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'UsageError';
  }
}

export interface Selection {
  /** Check ids to run; empty means all. Their prerequisites are added. */
  readonly ids?: readonly string[];
  /** Check ids reported as skipped on request. */
  readonly skip?: readonly string[];
}

/**
 * The probes to run, in registry order: the ones asked for plus everything
 * they depend on, transitively. Unknown ids are a usage error.
 */
export function selectProbes(registry: readonly AnyProbe[], selection: Selection, options: DoctorOptions): AnyProbe[] {
  const byId = new Map(registry.map((p) => [p.id, p]));
  const canonical = (id: string): string => registry.find((p) => p.aliases?.includes(id))?.id ?? id;
  const unknown = [...(selection.ids ?? []), ...(selection.skip ?? [])].filter((id) => !byId.has(canonical(id)));
  if (unknown.length > 0) {
    const known = registry.map((p) => p.id).join(', ');
    throw new UsageError(
      msg(
        `Okänd kontroll: ${unknown.join(', ')}. Kända kontroller: ${known}.`,
        `Unknown check: ${unknown.join(', ')}. Known checks: ${known}.`,
      ),
    );
  }
  const wanted = new Set<string>();
  const visit = (id: string, path: readonly string[]): void => {
    if (path.includes(id)) throw new Error(`dependency cycle: ${[...path, id].join(' -> ')}`);
    if (wanted.has(id)) return;
    wanted.add(id);
    const probe = byId.get(id);
    if (!probe) throw new Error(`probe ${path.at(-1) ?? '?'} depends on unknown probe ${id}`);
    for (const dep of dependenciesOf(probe, options)) visit(dep, [...path, id]);
  };
  const ids = selection.ids && selection.ids.length > 0 ? selection.ids.map(canonical) : registry.map((p) => p.id);
  for (const id of ids) visit(id, []);
  return registry.filter((p) => wanted.has(p.id));
}

export interface RunHooks {
  onStart?(probe: AnyProbe): void;
  onResult?(result: CheckResult): void;
}

export interface RunRequest {
  readonly probes: readonly AnyProbe[];
  readonly options: DoctorOptions;
  readonly system: System;
  /** Ids to report as skipped on request (--skip). */
  readonly skip?: readonly string[];
  /** Cancels the whole run (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly hooks?: RunHooks;
}

/** What the whole run gets beyond the per-operation timeout: the time for checks that start after others. */
export const RUN_GRACE_MS = 1000;

/**
 * Runs probes concurrently as their prerequisites finish. Never throws for a
 * probe's sake: a throwing probe becomes `error`, an overrunning one is
 * aborted and becomes `error` (timed out). Results come back in the order given.
 *
 * The whole run is bounded: it ends within the timeout plus RUN_GRACE_MS,
 * however much hangs. Each probe's budget is what is left of that when it
 * starts; within it, each of its operations has the timeout of its own.
 */
export async function runProbes(request: RunRequest): Promise<CheckResult[]> {
  const { probes, options, system } = request;
  // Probes not skipped up front start their slow parts now; what they did not use is stopped with the run.
  const upFront = new Set(request.skip ?? []);
  const releases = probes.filter((p) => p.prepare && !immediateOutcome(p, options, new Map(), upFront, system.platform.os)).map((p) => p.prepare!(system));
  try {
    return await runInOrder(request);
  } finally {
    for (const release of releases) release();
  }
}

/** The run itself: each probe once its prerequisites and the probes it uses have results. */
function runInOrder(request: RunRequest): Promise<CheckResult[]> {
  const { probes, options, system } = request;
  const skipOnRequest = new Set(request.skip ?? []);
  const selected = new Set(probes.map((p) => p.id));
  const results = new Map<string, CheckResult>();
  // Ids whose outcome the runner decided (skipped on request, offline, prerequisite, platform): their details are the runner's, not the probe's.
  const decidedHere = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const deadline = system.clock.monotonicMs() + options.timeoutMs + RUN_GRACE_MS;

  const waitsFor = (probe: AnyProbe): string[] =>
    [...dependenciesOf(probe, options), ...(probe.uses ?? [])].filter((id) => selected.has(id));

  const finish = (result: CheckResult): void => {
    results.set(result.id, result);
    request.hooks?.onResult?.(result);
  };

  return new Promise((resolveAll, rejectAll) => {
    const pump = (): void => {
      // An outcome decided on the spot can free a probe earlier in the registry
      // (one that `uses` it), so scan again until a pass decides nothing new.
      let decided = true;
      while (decided) {
        decided = false;
        for (const probe of probes) {
          if (results.has(probe.id) || running.has(probe.id)) continue;
          if (!waitsFor(probe).every((id) => results.has(id))) continue;
          const immediate = immediateOutcome(probe, options, results, skipOnRequest, request.system.platform.os);
          if (immediate) {
            decidedHere.add(probe.id);
            finish({ id: probe.id, title: titleOf(probe, options), durationMs: 0, ...immediate });
            decided = true;
            continue;
          }
          request.hooks?.onStart?.(probe);
          const task = runOne(probe, request, results, decidedHere, deadline).then((result) => {
            running.delete(probe.id);
            finish(result);
            pump();
          });
          running.set(probe.id, task);
        }
      }
      if (results.size < probes.length && running.size === 0) {
        // Nothing runs and nothing can start: the probes left wait for each other.
        const stuck = probes.filter((p) => !results.has(p.id)).map((p) => p.id);
        rejectAll(new Error(`probes wait for each other in a cycle: ${stuck.join(', ')}`));
        return;
      }
      if (results.size === probes.length) {
        resolveAll(probes.map((p) => results.get(p.id)!));
      }
    };
    pump();
  });
}

/** Outcomes decided without running the probe: skipped on request, offline, or a prerequisite that did not pass. */
function immediateOutcome(
  probe: AnyProbe,
  options: DoctorOptions,
  results: ReadonlyMap<string, CheckResult>,
  skipOnRequest: ReadonlySet<string>,
  os: NodeJS.Platform,
): ProbeOutcome | undefined {
  if (skipOnRequest.has(probe.id) || probe.aliases?.some((a) => skipOnRequest.has(a))) {
    return {
      status: 'skip',
      summary: msg('Kontrollerades inte, på begäran (--skip).', 'Skipped on request (--skip).'),
      details: { skipReason: 'requested' },
    };
  }
  for (const depId of dependenciesOf(probe, options)) {
    const dep = results.get(depId);
    if (!dep || dep.status === 'pass' || dep.status === 'warn') continue;
    return {
      status: 'skip',
      summary: skippedBecause(dep),
      details: { skipReason: 'prerequisite', prerequisite: dep.id, prerequisiteStatus: dep.status },
    };
  }
  if (probe.platforms && !probe.platforms.includes(os)) {
    const names = probe.platforms.map(platformName).join(', ');
    return {
      status: 'skip',
      summary: msg(`Kontrollerades inte: gäller bara ${names}.`, `Skipped: applies to ${names} only.`),
      details: { skipReason: 'platform', platforms: probe.platforms },
    };
  }
  if (probe.network && options.offline) {
    return {
      status: 'skip',
      summary: msg('Kontrollerades inte: nätverkskontroller är avstängda (--offline).', 'Skipped: network checks are off (--offline).'),
      details: { skipReason: 'offline' },
    };
  }
  return undefined;
}

function platformName(os: NodeJS.Platform): string {
  return os === 'win32' ? 'Windows' : os === 'darwin' ? 'macOS' : os === 'linux' ? 'Linux' : os;
}

function skippedBecause(dep: CheckResult): Localized {
  const sv = dep.title.sv;
  const en = dep.title.en;
  switch (dep.status) {
    case 'fail':
      return msg(`Kontrollerades inte eftersom ”${sv}” inte gick igenom.`, `Skipped because “${en}” failed.`);
    case 'error':
      return msg(`Kontrollerades inte eftersom ”${sv}” inte kunde kontrolleras.`, `Skipped because “${en}” could not be checked.`);
    default:
      return msg(`Kontrollerades inte eftersom ”${sv}” inte kontrollerades.`, `Skipped because “${en}” was skipped.`);
  }
}

async function runOne(
  probe: AnyProbe,
  request: RunRequest,
  results: ReadonlyMap<string, CheckResult>,
  decidedHere: ReadonlySet<string>,
  deadline: number,
): Promise<CheckResult> {
  const { options, system } = request;
  const clock = system.clock;
  const started = clock.monotonicMs();
  const budgetMs = Math.max(1, Math.round(deadline - started));
  const controller = new AbortController();
  const onCancel = (): void => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', onCancel, { once: true });

  const visible = new Map<string, CheckResult>();
  for (const id of [...dependenciesOf(probe, options), ...(probe.uses ?? [])]) {
    const r = results.get(id);
    if (!r) continue;
    // A reader gets the details only in the shape the probe declares them: not the runner's skip details.
    if (decidedHere.has(id)) {
      const { details: _runners, ...rest } = r;
      visible.set(id, rest);
    } else {
      visible.set(id, r);
    }
  }
  const ctx: ProbeContext = {
    options,
    timeoutMs: options.timeoutMs,
    signal: controller.signal,
    // The one place results are matched to probes: a result under a probe's id came from a probe of that type.
    resultOf: <D extends object, H>(p: Probe<D, H>) => visible.get(p.id) as CheckResult<D, H> | undefined,
    system,
  };

  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<ProbeOutcome>((resolve) => {
    request.signal?.addEventListener(
      'abort',
      () =>
        resolve({
          status: 'error',
          summary: msg('Kontrollen avbröts.', 'The check was interrupted.'),
          details: { interrupted: true },
        }),
      { once: true },
    );
    timer = setTimeout(() => {
      const took = durationText(budgetMs);
      controller.abort(new Error(`timed out after ${took.en}`));
      resolve({
        status: 'error',
        summary: msg(
          `Kontrollen avbröts efter ${took.sv} utan svar.`,
          `The check was stopped after ${took.en} without an answer.`,
        ),
        advice: msg('Något svarade inte i tid. Kör igen; om det upprepas, kontakta IT.', 'Something did not answer in time. Run again; if it repeats, contact IT.'),
        agentHint: msg(
          'Kör igen med längre --timeout och --verbose för att se vilket steg som inte svarade.',
          'Run again with a longer --timeout and --verbose to see which step did not answer.',
        ),
        details: { timedOut: true, budgetMs },
      });
    }, budgetMs);
  });

  let outcome: ProbeOutcome<object, unknown>;
  try {
    outcome = await Promise.race([probe.run(ctx).then(validateOutcome), overrun]);
  } catch (err) {
    outcome = crashed(err, options.verbose);
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onCancel);
    if (!controller.signal.aborted) controller.abort(new Error('probe finished'));
  }
  const durationMs = Math.round(clock.monotonicMs() - started);
  return { id: probe.id, title: titleOf(probe, options), durationMs, ...outcome };
}

function validateOutcome<H>(outcome: ProbeOutcome<object, H>): ProbeOutcome<object, H> {
  if (!outcome || !STATUSES.includes(outcome.status) || !outcome.summary) {
    throw new Error('the probe returned no valid result');
  }
  return outcome;
}

function crashed(err: unknown, verbose: boolean): ProbeOutcome {
  const message = err instanceof Error ? err.message : String(err);
  const details: Record<string, unknown> = { error: message };
  if (verbose && err instanceof Error && err.stack) details.stack = err.stack;
  return {
    status: 'error',
    summary: msg(`Kontrollen kunde inte slutföras: ${message}`, `The check could not complete: ${message}`),
    advice: msg(
      'Detta är ett fel i kontrollen, inte nödvändigtvis i din dator. Kontakta IT.',
      'This is a fault in the check, not necessarily in your computer. Contact IT.',
    ),
    agentHint: msg(
      'Kör igen med --verbose för att få felets stackspårning, och rapportera felet i siths-doctor.',
      'Run again with --verbose to get the stack trace, and report the bug in siths-doctor.',
    ),
    details,
  };
}
