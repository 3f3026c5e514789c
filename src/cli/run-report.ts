import type { Ora } from 'ora';
import { msg, pick, same, type Localized } from '../i18n/index.js';
import type { Probe } from '../model.js';
import type { DoctorOptions } from '../options.js';
import { renderReport } from '../report/index.js';
import { exitCodeFor, runStatus, type RunReport } from '../report/report.js';
import { reportWritten, WORDS } from '../report/words.js';
import { runProbes } from '../runner.js';
import type { System } from '../system.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { EXIT_INTERRUPTED, EXIT_USAGE } from './exit-codes.js';
import { checkInputFiles, inputFilesOf, colorLevel, terminalWidth, write, type CliIo } from './io.js';
import { planOutput, writeOutput } from './output-file.js';
import { spinnerLine, type RunningCheck } from './spinner-line.js';

export interface RunAndReportRequest {
  readonly probes: readonly Probe<object>[];
  readonly skip?: readonly string[];
  readonly options: DoctorOptions;
  readonly system: System;
  readonly io: CliIo;
  readonly signal?: AbortSignal;
  /** The checks asked for by name: when all were skipped, the run says nothing was checked (exit code 1). */
  readonly requested?: readonly string[];
  /** Text reports: show every check's evidence lines even without --verbose. */
  readonly showNotes?: boolean;
}

/** Run probes, render the report in the chosen format, write it, and give the exit code. */
export async function runAndReport(request: RunAndReportRequest): Promise<number> {
  const { options, io, system } = request;
  if (options.output !== undefined) await planOutput(options.output);
  await checkInputFiles(inputFilesOf(options));
  // Loaded only for --cert: it reads certificates (src/x509), which no other command start needs.
  if (options.certFiles.length > 0) await (await import('./cert-files.js')).checkCertificateFiles(options.certFiles);

  // Ctrl-C stops every probe (each is aborted and releases what it holds) and ends with 130.
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort(new Error('interrupted'));
  // `on`, not `once`: a once-listener is gone by the time signal-exit (ora's cursor restorer) counts the
  // listeners, and finding only its own it re-raises SIGINT and kills the process before the report says so.
  process.on('SIGINT', onSigint);
  const signal = request.signal ? AbortSignal.any([request.signal, interrupt.signal]) : interrupt.signal;

  const spinner = await startSpinner(request);
  const startedAt = system.clock.now();
  const t0 = system.clock.monotonicMs();
  // Keyed by id: a result's title may differ from the probe's (card-cert with --cert).
  const running = new Map<string, RunningCheck>();
  const refresh = (): void => {
    if (spinner) spinner.text = spinnerLine([...running.values()], system.clock.monotonicMs(), options.lang);
  };
  // Once a second, so a check that has become slow says what it waits for.
  const ticker = spinner ? setInterval(refresh, 1000).unref() : undefined;
  const results = await runProbes({
    probes: request.probes,
    skip: request.skip,
    options,
    system,
    signal,
    hooks: spinner && {
      onStart(probe) {
        running.set(probe.id, { title: probe.title, ...(probe.waitingFor ? { waitingFor: probe.waitingFor } : {}), startedMs: system.clock.monotonicMs() });
        refresh();
      },
      onResult(result) {
        running.delete(result.id);
        refresh();
      },
    },
  }).finally(() => {
    clearInterval(ticker);
    spinner?.stop();
    process.off('SIGINT', onSigint);
  });
  if (signal.aborted) {
    await write(io.stderr, pick(msg('Avbrutet.\n', 'Interrupted.\n'), options.lang));
    return EXIT_INTERRUPTED;
  }

  const report: RunReport = {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    startedAt,
    durationMs: system.clock.monotonicMs() - t0,
    platform: { os: system.platform.os, arch: system.platform.arch, node: system.platform.nodeVersion },
    results,
    certificates: options.certFiles.length > 0 ? 'files' : 'card',
    ...(request.requested ? { requested: request.requested } : {}),
  };
  const text = renderReport(report, {
    format: options.format,
    lang: options.lang,
    showPersonalData: options.showPersonalData,
    verbose: options.verbose,
    showNotes: request.showNotes,
    colorLevel: colorLevel(io, options.color, Boolean(options.output)),
    width: terminalWidth(io, Boolean(options.output)),
  });
  if (!(await emit(text, options, io))) return EXIT_USAGE;
  return exitCodeFor(runStatus(results, request.requested));
}

/**
 * To the file asked for, or stdout. A file that cannot be written loses
 * nothing: the report goes to stdout, and the result is false (exit code 2).
 */
export async function emit(text: string, options: DoctorOptions, io: CliIo): Promise<boolean> {
  if (options.output === undefined) {
    await write(io.stdout, text);
    return true;
  }
  // Planned again at write time: the path may have changed during the run.
  const plan = await planOutput(options.output);
  try {
    await writeOutput(plan, text);
    await write(io.stderr, pick(reportWritten(options.output), options.lang) + '\n');
    return true;
  } catch (err) {
    await write(io.stdout, text);
    const reason = pick(writeFailure(err), options.lang);
    await write(
      io.stderr,
      pick(
        msg(
          `Kunde inte spara rapporten i ${options.output} (${reason}); den skrevs till skärmen i stället.\n`,
          `Could not save the report to ${options.output} (${reason}); it was written to the screen instead.\n`,
        ),
        options.lang,
      ),
    );
    return false;
  }
}

/** A spinner only for a person watching a text report on a terminal; ora is loaded only then. */
async function startSpinner(request: RunAndReportRequest): Promise<Ora | undefined> {
  const { options, io } = request;
  if (options.format !== 'text' || options.output !== undefined || options.verbose) return undefined;
  if (!io.stdout.isTTY || !io.stderr.isTTY || io.env.CI) return undefined;
  // discardStdin would put the terminal in raw mode without reading it, so Ctrl-C never became SIGINT:
  // leave the terminal as it is, and the line discipline turns Ctrl-C into SIGINT as always.
  const { default: ora } = await import('ora');
  return ora({ stream: io.stderr, text: pick(WORDS.checking, options.lang), color: 'cyan', discardStdin: false }).start();
}

/** Why a report could not be written, in words rather than an errno. */
function writeFailure(err: unknown): Localized {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return msg('disken är full (ENOSPC)', 'no space left on the device (ENOSPC)');
  if (code === 'ENXIO') return msg('ingen läser från FIFO:n (ENXIO)', 'nobody reads from the FIFO (ENXIO)');
  if (code === 'EACCES' || code === 'EPERM') return msg(`åtkomst nekad (${code})`, `permission denied (${code})`);
  return same(err instanceof Error ? err.message : String(err));
}
