import { STATUSES } from '../model.js';
import type { RenderedReport } from './report.js';

const RUN_STATUSES = ['pass', 'warn', 'fail', 'error', 'skip'] as const;

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/**
 * The Prometheus text exposition format, for node_exporter's and
 * windows_exporter's textfile collectors: write it with --output into the
 * collector's folder from a scheduled task. Outcomes are state sets (one
 * series per possible status, 1 for the one that holds), so an alert is a
 * plain `siths_doctor_check_status{status="fail"} == 1`. No personal data:
 * only check ids, statuses, durations and the support code.
 */
export function renderPrometheus(report: RenderedReport): string {
  const lines: string[] = [];
  const metric = (name: string, help: string, type: 'gauge') => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  metric('siths_doctor_info', 'The siths-doctor run: version and support code.', 'gauge');
  lines.push(`siths_doctor_info{version="${label(report.tool.version)}",support_code="${label(report.summary.supportCode)}"} 1`);
  metric('siths_doctor_run_status', 'Overall outcome of the last run (1 for the outcome it had).', 'gauge');
  for (const s of RUN_STATUSES) lines.push(`siths_doctor_run_status{status="${s}"} ${report.summary.status === s ? 1 : 0}`);
  metric('siths_doctor_run_timestamp_seconds', 'When the last run started, in seconds since the Unix epoch.', 'gauge');
  lines.push(`siths_doctor_run_timestamp_seconds ${seconds(Date.parse(report.startedAt))}`);
  metric('siths_doctor_run_duration_seconds', 'How long the last run took.', 'gauge');
  lines.push(`siths_doctor_run_duration_seconds ${seconds(report.durationMs)}`);
  metric('siths_doctor_check_status', 'Outcome of each check (1 for the outcome it had).', 'gauge');
  for (const c of report.checks) {
    for (const s of STATUSES) lines.push(`siths_doctor_check_status{check="${label(c.id)}",status="${s}"} ${c.status === s ? 1 : 0}`);
  }
  metric('siths_doctor_check_duration_seconds', 'How long each check took.', 'gauge');
  for (const c of report.checks) lines.push(`siths_doctor_check_duration_seconds{check="${label(c.id)}"} ${seconds(c.durationMs)}`);
  return lines.join('\n') + '\n';
}
