import { msg, pick, pickAll, type Lang, type Localized } from '../i18n/index.js';
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

const TEXT = {
  reader: msg('Kortläsare', 'Card reader'),
  'reader-attached': msg('Kortläsare ansluten', 'Card reader attached'),
  'reader-removed': msg('Kortläsare borttagen', 'Card reader removed'),
  'card-inserted': msg('Kort isatt', 'Card inserted'),
  'card-mute': msg('Kort isatt men svarar inte', 'Card inserted but not answering'),
  'card-removed': msg('Kort uttaget', 'Card removed'),
  'service-restarted': msg('Smartkortstjänsten startades om; bevakningen fortsätter', 'The smart card service restarted; still watching'),
  error: msg('Fel', 'Error'),
  end: msg('Bevakningen avslutad', 'Watch ended'),
  'no-card': msg('inget kort', 'no card'),
  card: msg('kort isatt', 'card inserted'),
  mute: msg('kort som inte svarar', 'card not answering'),
  'unknown-state': msg('okänt läge', 'unknown state'),
} satisfies Record<WatchLine['event'] | 'no-card' | 'card' | 'mute' | 'unknown-state', Localized>;

/** "09:14:03.250  Card inserted: “Reader” – ATR 3B ... (Thales IDPrime 940)". */
export function formatLine(line: WatchLine, lang: Lang, at: Date): string {
  const t = pickAll(TEXT, lang);
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
