import { readFileSync } from 'node:fs';
import { msg } from '../../src/i18n/index.js';
import type { CheckResult } from '../../src/model.js';
import type { RenderedReport, RunReport } from '../../src/report/report.js';

/** The report of a real run (see fixtures/reports/README.md). */
export function recordedReport(name: string): RenderedReport {
  return JSON.parse(readFileSync(new URL(`../../fixtures/reports/${name}.json`, import.meta.url), 'utf8')) as RenderedReport;
}

/** A recorded report read back as the results it came from: the recorded words serve as both languages. */
export function resultsOf(run: RenderedReport): CheckResult[] {
  return run.checks.map((c) => ({
    id: c.id,
    status: c.status,
    title: msg(c.title, c.title),
    summary: msg(c.summary, c.summary),
    ...(c.advice ? { advice: msg(c.advice, c.advice) } : {}),
    durationMs: c.durationMs,
    details: c.details,
  }));
}

/** A run of these results with a fixed tool version, start and platform, so rendered text can be compared whole. */
export function runReport(results: CheckResult[], durationMs: number): RunReport {
  return {
    tool: { name: 'siths-doctor', version: '9.9.9' },
    startedAt: new Date('2026-11-26T08:00:00.000Z'),
    durationMs,
    platform: { os: 'linux', arch: 'x64', node: '20.20.2' },
    results,
  };
}
