import { msg, pick, type Lang } from '../i18n/index.js';
import { displayReaderName } from '../pcsc/reader-names.js';
import type { ReaderState } from '../pcsc/types.js';

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
  const reader = line.reader === undefined ? '' : pick(msg(`”${displayReaderName(line.reader)}”`, `“${displayReaderName(line.reader)}”`), lang);
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
