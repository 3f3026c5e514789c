import type { RenderedReport } from './report.js';

/** The stable machine contract (schema version 1). Nothing else goes to stdout in this format. */
export function renderJson(report: RenderedReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
