import { pick, type Lang, type Localized } from '../i18n/index.js';
import type { CheckResult, Status } from '../model.js';
import { redactDeep } from '../personal.js';
import { encodeSupportCode, type CertificateSource } from '../support-code.js';
import { CAUSE_ADVICE, findRootCauses, type RootCause } from './root-cause.js';

export const SCHEMA_VERSION = 1;

/** The run as a whole; `skip` when nothing was checked at all (every check skipped, or none selected). */
export type SummaryStatus = Status;

/** A finished run, still in both languages and with personal data marked. */
export interface RunReport {
  readonly tool: { readonly name: string; readonly version: string };
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly platform: { readonly os: string; readonly arch: string; readonly node: string };
  readonly results: readonly CheckResult[];
  /** Where the certificates came from (--cert files or the card); the support code carries it. */
  readonly certificates?: CertificateSource;
  /** The checks the user asked for by name (prerequisites aside); when every one was skipped, nothing was checked. */
  readonly requested?: readonly string[];
}

/**
 * What renderers format: one language, personal data redacted (or not, on
 * request). This is the JSON contract, schema version 1; see docs/reports.md.
 */
export interface RenderedReport {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly lang: Lang;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly platform: { readonly os: string; readonly arch: string; readonly node: string };
  readonly summary: {
    readonly status: SummaryStatus;
    readonly pass: number;
    readonly warn: number;
    readonly fail: number;
    readonly skip: number;
    readonly error: number;
    readonly supportCode: string;
  };
  /** The first root cause's check id, or null: where to start. */
  readonly rootCause: string | null;
  /** Every group of checks that failed for one reason, most important first. */
  readonly rootCauses: readonly RenderedRootCause[];
  readonly checks: readonly RenderedCheck[];
}

export interface RenderedRootCause extends RootCause {
  /** The cause in plain words, and the one piece of advice for it. */
  readonly summary: string;
  readonly advice: string;
}

export interface RenderedCommand {
  readonly run: string;
  /** The platform it applies to (Node's names: linux, win32, darwin); absent when any. */
  readonly platform?: string;
}

export interface RenderedCheck {
  readonly id: string;
  readonly status: Status;
  readonly title: string;
  readonly summary: string;
  readonly advice: string;
  /** Commands that carry out the advice. */
  readonly commands: readonly RenderedCommand[];
  /** Where to read more. */
  readonly links: readonly { readonly title: string; readonly url: string }[];
  /** For the helpdesk agent, not the caller (may name siths-doctor's options); "" when none. */
  readonly agentHint: string;
  /** The root cause's check id when this check failed or was skipped because of it. */
  readonly because?: string;
  readonly notes: readonly string[];
  readonly durationMs: number;
  readonly details: Record<string, unknown>;
}

/** Worst first: any failure decides, then a check that could not complete, then warnings. */
export function overallStatus(statuses: Iterable<Status>): SummaryStatus {
  const seen = new Set(statuses);
  if (seen.has('fail')) return 'fail';
  if (seen.has('error')) return 'error';
  if (seen.has('warn')) return 'warn';
  // Only skips is not "everything passed": nothing was checked.
  if (!seen.has('pass')) return 'skip';
  return 'pass';
}

/** The run's outcome: a failure anywhere counts; otherwise, if every check asked for was skipped, nothing was checked. */
export function runStatus(results: readonly CheckResult[], requested?: readonly string[]): SummaryStatus {
  const overall = overallStatus(results.map((r) => r.status));
  if (overall === 'fail' || overall === 'error' || !requested?.length) return overall;
  const asked = results.filter((r) => requested.includes(r.id));
  return asked.length > 0 && asked.every((r) => r.status === 'skip') ? 'skip' : overall;
}

/** Exit code contract: 0 nothing failed or errored (warnings allowed), 1 something did, or nothing was checked. */
export function exitCodeFor(status: SummaryStatus): number {
  return status === 'fail' || status === 'error' || status === 'skip' ? 1 : 0;
}

/** The single place where a report becomes one language and personal data is redacted. */
export function renderable(report: RunReport, lang: Lang, showPersonalData: boolean): RenderedReport {
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const r of report.results) counts[r.status]++;
  const text = (l: Localized | undefined): string => (l ? pick(l, lang) : '');
  const causes = findRootCauses(report.results);
  const becauseOf = new Map(causes.flatMap((c) => c.because.map((id) => [id, c.check] as const)));
  const rendered: RenderedReport = {
    schemaVersion: SCHEMA_VERSION,
    tool: report.tool,
    lang,
    startedAt: report.startedAt.toISOString(),
    durationMs: Math.round(report.durationMs),
    platform: report.platform,
    summary: {
      status: runStatus(report.results, report.requested),
      ...counts,
      supportCode: encodeSupportCode(new Map(report.results.map((r) => [r.id, r.status])), { certificates: report.certificates }),
    },
    rootCause: causes[0]?.check ?? null,
    rootCauses: causes.map((c) => {
      const root = report.results.find((r) => r.id === c.check)!;
      const words = c.cause === 'prerequisite' ? undefined : CAUSE_ADVICE[c.cause];
      return {
        ...c,
        summary: text(words?.summary ?? root.summary),
        advice: text(words?.advice ?? root.advice),
      };
    }),
    checks: report.results.map((r) => ({
      id: r.id,
      status: r.status,
      title: text(r.title),
      summary: text(r.summary),
      ...renderedAdvice(r, lang),
      ...(becauseOf.has(r.id) ? { because: becauseOf.get(r.id)! } : {}),
      notes: (r.notes ?? []).map(text),
      durationMs: Math.round(r.durationMs),
      details: toPlainJson(r.details ?? {}) as Record<string, unknown>,
    })),
  };
  return redactDeep(rendered, showPersonalData, lang);
}

function renderedAdvice(r: CheckResult, lang: Lang): Pick<RenderedCheck, 'advice' | 'commands' | 'links' | 'agentHint'> {
  const remedy = r.advice;
  return {
    advice: remedy ? pick(remedy, lang) : '',
    commands: (remedy?.commands ?? []).map((c) => ({ run: c.run, ...(c.platform ? { platform: c.platform } : {}) })),
    links: (remedy?.links ?? []).map((l) => ({ title: pick(l.title, lang), url: l.url })),
    agentHint: r.agentHint ? pick(r.agentHint, lang) : '',
  };
}

/** Details may hold Dates, Buffers, bigints or undefined; make them plain, stable JSON. */
export function toPlainJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlainJson(v)]));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlainJson(v);
    return out;
  }
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  return value;
}
