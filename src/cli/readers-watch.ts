import { formatAtr } from '../card/atr.js';
import { identifyAtr } from '../card/atr-table.js';
import { msg, pick, type Lang } from '../i18n/index.js';
import type { DoctorOptions } from '../options.js';
import { isPcscError, type PcscError } from '../pcsc/errors.js';
import { explainPcscError } from '../pcsc/explain.js';
import type { ReaderChange } from '../pcsc/types.js';
import type { System } from '../system.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';
import { write, type CliIo } from './io.js';
import { formatLine, type WatchLine } from './watch-line.js';

export interface WatchRequest {
  readonly options: DoctorOptions;
  readonly system: System;
  readonly io: CliIo;
  /** Stop after this long; without it, run until interrupted. */
  readonly durationMs?: number;
  /** Stops the watch (Ctrl-C does too). */
  readonly signal?: AbortSignal;
}

/**
 * `readers --watch`: print every reader and card event as it happens, driven
 * by the PC/SC service's status-change notifications. Ends with 0 on Ctrl-C
 * or when the duration is up; with 1 when the service goes away (or cannot
 * be reached).
 */
export async function watchReaders(request: WatchRequest): Promise<number> {
  const { options, system, io } = request;
  const lang = options.lang;
  const json = options.format === 'json';
  const stop = new AbortController();
  let reason: WatchLine['reason'] = 'interrupted';
  const onSigint = (): void => stop.abort();
  process.once('SIGINT', onSigint);
  const timer =
    request.durationMs === undefined
      ? undefined
      : setTimeout(() => {
          reason = 'duration';
          stop.abort();
        }, request.durationMs);
  request.signal?.addEventListener('abort', () => stop.abort(), { once: true });

  // Lines are written in order even when events come faster than the stream drains.
  let queue = Promise.resolve();
  const emit = (line: Omit<WatchLine, 'time'>): void => {
    const now = system.clock.now();
    const full: WatchLine = { time: now.toISOString(), ...line };
    const text = json ? JSON.stringify(full) : formatLine(full, lang, now);
    queue = queue.then(() => write(io.stdout, text + '\n'));
  };

  if (!json) await write(io.stderr, pick(msg('Bevakar kortläsare och kort. Avsluta med Ctrl-C.\n', 'Watching card readers and cards. Stop with Ctrl-C.\n'), lang));
  let code = EXIT_OK;
  try {
    const context = await system.pcsc.establish({ timeoutMs: options.timeoutMs, signal: stop.signal });
    try {
      await context.watch((change) => emitChange(change, emit), { signal: stop.signal, timeoutMs: options.timeoutMs });
    } finally {
      await context.release();
    }
    emit({ event: 'end', reason });
  } catch (err) {
    if (!isPcscError(err)) throw err;
    if (stop.signal.aborted && err.kind === 'cancelled') {
      emit({ event: 'end', reason });
    } else {
      emit(errorLine(err, system.platform.os, lang));
      code = EXIT_CHECK_FAILED;
    }
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSigint);
  }
  await queue;
  return code;
}

function emitChange(change: ReaderChange, emit: (line: Omit<WatchLine, 'time'>) => void): void {
  switch (change.kind) {
    case 'snapshot':
      for (const reader of change.readers) emit({ event: 'reader', reader: reader.name, card: reader.card, ...cardFields(reader.atr) });
      return;
    case 'card-inserted':
    case 'card-mute':
      emit({ event: change.kind, reader: change.reader, ...cardFields(change.atr) });
      return;
    case 'reader-attached':
    case 'reader-removed':
    case 'card-removed':
      emit({ event: change.kind, reader: change.reader });
      return;
    case 'service-restarted':
      emit({ event: 'service-restarted' });
      return;
  }
}

function cardFields(atr: Buffer): { atr?: string; cardType?: string } {
  if (atr.length === 0) return {};
  const known = identifyAtr(atr);
  return { atr: formatAtr(atr), ...(known ? { cardType: known.name } : {}) };
}

function errorLine(err: PcscError, os: NodeJS.Platform, lang: Lang): Omit<WatchLine, 'time'> {
  const { summary, advice } = explainPcscError(err, os);
  return { event: 'error', kind: err.kind, message: pick(summary, lang), advice: pick(advice, lang) };
}
