import { formatAtr } from '../card/atr.js';
import { identifyAtr } from '../card/atr-table.js';
import { pick, type Lang } from '../i18n/index.js';
import type { DoctorOptions } from '../options.js';
import { isPcscError, type PcscError } from '../pcsc/errors.js';
import { explainPcscError } from '../pcsc/explain.js';
import { displayReaderName } from '../pcsc/reader-names.js';
import type { ReaderChange, ReaderState } from '../pcsc/types.js';
import type { System } from '../system.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';
import { write, type CliIo } from './io.js';

export interface WatchRequest {
  readonly options: DoctorOptions;
  readonly system: System;
  readonly io: CliIo;
  /** Stop after this long; without it, run until interrupted. */
  readonly durationMs?: number;
  /** Stops the watch (Ctrl-C does too). */
  readonly signal?: AbortSignal;
}

/** One line of `readers --watch --format json`; see the README. */
export interface WatchLine {
  readonly time: string;
  readonly event: 'reader' | 'reader-attached' | 'reader-removed' | 'card-inserted' | 'card-mute' | 'card-removed' | 'service-restarted' | 'error' | 'end';
  readonly reader?: string;
  readonly card?: ReaderState['card'];
  readonly atr?: string;
  readonly cardType?: string;
  readonly kind?: string;
  readonly message?: string;
  readonly advice?: string;
  readonly reason?: 'duration' | 'interrupted';
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

  if (!json) await write(io.stderr, lang === 'sv' ? 'Bevakar kortläsare och kort. Avsluta med Ctrl-C.\n' : 'Watching card readers and cards. Stop with Ctrl-C.\n');
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

const TEXT: Record<Lang, Record<WatchLine['event'] | 'no-card' | 'card' | 'mute' | 'unknown-state', string>> = {
  sv: {
    reader: 'Kortläsare',
    'reader-attached': 'Kortläsare ansluten',
    'reader-removed': 'Kortläsare borttagen',
    'card-inserted': 'Kort isatt',
    'card-mute': 'Kort isatt men svarar inte',
    'card-removed': 'Kort uttaget',
    'service-restarted': 'Smartkortstjänsten startades om; bevakningen fortsätter',
    error: 'Fel',
    end: 'Bevakningen avslutad',
    'no-card': 'inget kort',
    card: 'kort isatt',
    mute: 'kort som inte svarar',
    'unknown-state': 'okänt läge',
  },
  en: {
    reader: 'Card reader',
    'reader-attached': 'Card reader attached',
    'reader-removed': 'Card reader removed',
    'card-inserted': 'Card inserted',
    'card-mute': 'Card inserted but not answering',
    'card-removed': 'Card removed',
    'service-restarted': 'The smart card service restarted; still watching',
    error: 'Error',
    end: 'Watch ended',
    'no-card': 'no card',
    card: 'card inserted',
    mute: 'card not answering',
    'unknown-state': 'unknown state',
  },
};

/** "09:14:03.250  Card inserted: “Reader” – ATR 3B ... (Thales IDPrime 940)". */
export function formatLine(line: WatchLine, lang: Lang, at: Date): string {
  const t = TEXT[lang];
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
  const reader = line.reader === undefined ? '' : lang === 'sv' ? `”${displayReaderName(line.reader)}”` : `“${displayReaderName(line.reader)}”`;
  const card = line.atr ? `ATR ${line.atr}${line.cardType ? ` (${line.cardType})` : ''}` : '';
  let text: string;
  switch (line.event) {
    case 'reader': {
      const state = line.card === 'present' ? t.card : line.card === 'mute' ? t.mute : line.card === 'absent' ? t['no-card'] : t['unknown-state'];
      text = `${t.reader} ${reader}: ${state}${card ? `, ${card}` : ''}`;
      break;
    }
    case 'card-inserted':
    case 'card-mute':
      text = `${t[line.event]}: ${reader}${card ? ` – ${card}` : ''}`;
      break;
    case 'error':
      text = `${t.error}: ${line.message ?? ''}${line.advice ? ` ${line.advice}` : ''}`;
      break;
    case 'end':
      text = t.end;
      break;
    case 'service-restarted':
      text = t['service-restarted'];
      break;
    default:
      text = `${t[line.event]}: ${reader}`;
  }
  return `${time}  ${text}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');
