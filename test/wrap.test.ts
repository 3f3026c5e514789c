import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { msg } from '../src/i18n/index.js';
import type { CheckResult } from '../src/model.js';
import { renderReport } from '../src/report/index.js';
import { recordedReport, resultsOf, runReport } from './helpers/reports.js';

const longTitle: CheckResult = {
  id: 'card-cert',
  title: msg('Legitimeringscertifikatet', 'Authentication certificate'),
  status: 'warn',
  summary: msg(
    'Legitimeringscertifikatet för [namn dolt] från SITHS e-id Person HSA-id 3 CA v1 går ut om 12 dagar, 2026-12-12; beställ ett nytt kort i god tid.',
    'The authentication certificate of [name hidden] from SITHS e-id Person HSA-id 3 CA v1 expires in 12 days, on 2026-12-12; order a new card in good time.',
  ),
  advice: msg('Beställ ett nytt kort hos den som utfärdar SITHS-kort i din organisation.', 'Order a new card from whoever issues SITHS cards in your organisation.'),
  durationMs: 1,
};
const report = runReport([...resultsOf(recordedReport('network-down')), longTitle], 300);

describe('text wrapped to the terminal', () => {
  for (const lang of ['sv', 'en'] as const) {
    for (const width of [60, 120]) {
      it(`${lang} at ${width} columns, with colours: no line too long, no word broken, continuations indented`, () => {
        const style = { format: 'text', lang, showPersonalData: false, colorLevel: 1, verbose: false } as const;
        const text = renderReport(report, { ...style, width });
        // Every word the unwrapped report shows, whole: a word cut in two is not among them.
        const known = new Set(stripVTControlCharacters(renderReport(report, style)).split(/\s+/));
        expect(text).toMatch(/\u001b\[/);
        const lines = stripVTControlCharacters(text).split('\n');
        for (const line of lines) {
          expect(line.length, line).toBeLessThanOrEqual(width);
          for (const word of line.trim().split(/\s+/)) expect(known.has(word), `“${word}” in: ${line}`).toBe(true);
        }
        // A wrapped summary's next line starts under the summary, not at the margin.
        const i = lines.findIndex((l) => l.startsWith('[!]'));
        expect(lines[i + 1]!.startsWith('    ')).toBe(true);
      });
    }
  }
});
