import type { Localized } from './i18n/index.js';
import type { DoctorOptions } from './options.js';
import type { System } from './system.js';

/**
 * The outcome of one check, typed like flutter doctor's validation types:
 * - pass:  the thing works
 * - warn:  it works now, but something needs attention (expires soon, incomplete evidence)
 * - fail:  the thing is broken and blocks a login; advice says what to do
 * - skip:  not checked (a prerequisite did not pass, offline mode, not this platform)
 * - error: the check itself could not complete (timed out, crashed); the answer is unknown
 */
export type Status = 'pass' | 'warn' | 'fail' | 'skip' | 'error';
export const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];

/** A command that fixes the problem, for the platform it applies to (any when absent). */
export interface RemedyCommand {
  readonly run: string;
  readonly platform?: NodeJS.Platform;
}

/** Where to read more: Inera's SITHS pages, a CA's repository. */
export interface RemedyLink {
  readonly title: Localized;
  readonly url: string;
}

/**
 * What to do, as data (like Homebrew's diagnostic remediations): the words
 * (sv, en), and where there are any, commands to run and links to the
 * source. A plain localized text is a remediation with only words, so probes
 * that give no commands or links stay as they are. Renderers put commands
 * and links on lines of their own; JSON and markdown carry them.
 */
export interface Advice extends Localized {
  readonly commands?: readonly RemedyCommand[];
  readonly links?: readonly RemedyLink[];
}

/** Words plus commands and links: `remedy(msg('Starta tjänsten.', 'Start the service.'), { commands: [...] })`. */
export function remedy(text: Localized, extra: { readonly commands?: readonly RemedyCommand[]; readonly links?: readonly RemedyLink[] }): Advice {
  return { sv: text.sv, en: text.en, ...extra };
}

/** What a probe returns. The runner adds id, title and duration. */
export interface ProbeOutcome<D extends object = object, H = never> {
  readonly status: Status;
  /** One line: what was found. Carries the decisive evidence (reader name, days left, issuer). */
  readonly summary: Localized;
  /**
   * What the caller should do, in plain words. Expected for warn, fail and
   * error. Never a siths-doctor option: the caller does not type commands
   * into siths-doctor; that goes in agentHint.
   */
  readonly advice?: Advice;
  /** For the helpdesk agent or IT, not the caller: how to dig further (a longer --timeout, --verbose). Shown in --verbose text and markdown. */
  readonly agentHint?: Localized;
  /** A few short evidence lines (each reader, each certificate), shown in verbose text and markdown. */
  readonly notes?: readonly Localized[];
  /** Structured evidence for scripts; stable keys, documented per probe. */
  readonly details?: D;
  /**
   * What this probe hands the probes that read its result and nobody else
   * (the PC/SC message of a card another program held, for card-cert).
   * Renderers never print it and the report never carries it: only
   * `ctx.resultOf` reads it, so it is no part of the documented `details`.
   */
  readonly handover?: H;
}

export interface CheckResult<D extends object = object, H = unknown> extends ProbeOutcome<D, H> {
  readonly id: string;
  readonly title: Localized;
  readonly durationMs: number;
}

export interface Probe<D extends object = object, H = unknown> {
  /** Stable id, used on the command line, in JSON and in the support code. */
  readonly id: string;
  /** Former ids still accepted on the command line (`check netid`, `--skip netid`), shown by list-checks. */
  readonly aliases?: readonly string[];
  readonly title: Localized;
  /** The title for this run when it depends on the options (`card-cert` with --cert reads files, not the card). */
  readonly titleFor?: (options: DoctorOptions) => Localized;
  /** What it checks, for `list-checks`. */
  readonly description: Localized;
  /**
   * Probes that must pass (or warn) first. When one of them fails, errors or is
   * skipped, this probe is skipped naming it. May depend on the options
   * (`card-cert` needs `card` unless certificate files are given).
   */
  readonly dependsOn?: readonly string[] | ((options: DoctorOptions) => readonly string[]);
  /**
   * Probes whose results this one reads when they run, without needing them to
   * pass (netid-token compares with `card`). Only orders the run; never pulls a
   * probe in and never causes a skip.
   */
  readonly uses?: readonly string[];
  /** Runs only on these platforms (process.platform values); elsewhere it is skipped saying so. */
  readonly platforms?: readonly NodeJS.Platform[];
  /** Needs the network: skipped with `--offline`. */
  readonly network?: boolean;
  /**
   * What the check waits for, said by the spinner once it has run for a few
   * seconds ("waiting for the card to answer…"), so a caller on the phone can
   * read it out. Only the spinner shows it.
   */
  readonly waitingFor?: Localized;
  /**
   * Starts what is slow to start (a helper process) when the run starts, so
   * it is ready when the probe's turn comes after the checks it waits for.
   * Returns how to stop it if the probe never used it. Not called for a probe
   * skipped up front (--skip, --offline, another platform).
   */
  readonly prepare?: (system: System) => () => void;
  run(ctx: ProbeContext): Promise<ProbeOutcome<D, H>>;
}

/** Everything a probe may touch, handed in so tests can pass the real thing or a recording. */
export interface ProbeContext {
  readonly options: DoctorOptions;
  /** The per-operation time limit (one APDU, one connection phase, one child process). */
  readonly timeoutMs: number;
  /** Aborted when the probe's budget runs out or the run is cancelled: stop and release resources. */
  readonly signal: AbortSignal;
  /**
   * The result of a probe named in dependsOn or uses, typed by the probe
   * (`ctx.resultOf(cardProbe)` is a `CheckResult<CardDetails>`); undefined
   * when it did not run or was not declared. Any probe object with that id
   * will do (the `cert` command runs its own card-cert). A check the runner
   * skipped (prerequisite, --skip, --offline, platform) comes without details:
   * those are the runner's, not in the shape the probe declares.
   */
  resultOf<D extends object, H>(probe: Probe<D, H>): CheckResult<D, H> | undefined;
  /** The outside world: clock, environment, files, processes, network, PC/SC. */
  readonly system: System;
}

export function titleOf(probe: Probe<object>, options: DoctorOptions): Localized {
  return probe.titleFor?.(options) ?? probe.title;
}

export function dependenciesOf(probe: Probe<object>, options: DoctorOptions): readonly string[] {
  const deps = probe.dependsOn;
  if (!deps) return [];
  return typeof deps === 'function' ? deps(options) : deps;
}
