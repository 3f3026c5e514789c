import { describe, expect, it } from 'vitest';
import { msg } from '../src/i18n/index.js';
import type { CheckResult } from '../src/model.js';
import { personal } from '../src/personal.js';
import { renderReport } from '../src/report/index.js';
import { decodeSupportCode } from '../src/support-code.js';
import { exitCodeFor, overallStatus, type RunReport } from '../src/report/report.js';
import { runReport } from './helpers/reports.js';

const results: CheckResult[] = [
  {
    id: 'reader',
    title: msg('Kortläsare', 'Card reader'),
    status: 'pass',
    summary: msg('1 kortläsare: Virtual PCD 00 00', '1 card reader: Virtual PCD 00 00'),
    durationMs: 12.4,
    notes: [msg('Virtual PCD 00 00: kort isatt', 'Virtual PCD 00 00: card present')],
    details: { readers: ['Virtual PCD 00 00'] },
  },
  {
    id: 'card-cert',
    title: msg('Certifikat på kortet', 'Certificates on the card'),
    status: 'fail',
    summary: msg(
      `Legitimeringscertifikatet för ${personal('Tolvan Tolvansson', 'name')} gick ut 2026-11-06.`,
      `The authentication certificate of ${personal('Tolvan Tolvansson', 'name')} expired on 2026-11-06.`,
    ),
    advice: msg('Beställ ett nytt kort.', 'Order a new card.'),
    durationMs: 230,
    details: { hsaId: personal('SE2321000016-T0LV', 'hsa-id'), notAfter: new Date('2026-11-06T00:00:00Z') },
  },
  {
    id: 'clock',
    title: msg('Klocka', 'Clock'),
    status: 'skip',
    summary: msg('Kontrollerades inte: nätverkskontroller är avstängda (--offline).', 'Skipped: network checks are off (--offline).'),
    durationMs: 0,
    details: { skipReason: 'offline' },
  },
];

const report = runReport(results, 1234.5);

const base = { showPersonalData: false, colorLevel: 0 as const, verbose: false };

describe('text report', () => {
  it('gives one line per check, advice, result and support code (English)', () => {
    expect(renderReport(report, { ...base, format: 'text', lang: 'en' })).toBe(
      [
        'SITHS login check · siths-doctor 9.9.9',
        '[✓] Card reader               1 card reader: Virtual PCD 00 00',
        '[✗] Certificates on the card  The authentication certificate of [name hidden] expired on 2026-11-06.',
        '[-] Clock                     Skipped: network checks are off (--offline).',
        '',
        'What to do:',
        '  1. [✗] Certificates on the card: Order a new card.',
        '',
        'Result: FAILED (1 failed, 1 passed, 1 skipped), 1.2 s',
        'Support code (read it out to the helpdesk): 434-JXJ-X29-W',
        '',
      ].join('\n'),
    );
  });

  it('speaks Swedish, with a decimal comma', () => {
    expect(renderReport(report, { ...base, format: 'text', lang: 'sv' })).toBe(
      [
        'Kontroll av SITHS-inloggning · siths-doctor 9.9.9',
        '[✓] Kortläsare            1 kortläsare: Virtual PCD 00 00',
        '[✗] Certifikat på kortet  Legitimeringscertifikatet för [namn dolt] gick ut 2026-11-06.',
        '[-] Klocka                Kontrollerades inte: nätverkskontroller är avstängda (--offline).',
        '',
        'Gör så här:',
        '  1. [✗] Certifikat på kortet: Beställ ett nytt kort.',
        '',
        'Resultat: FEL (1 fel, 1 godkänd, 1 inte kontrollerad), 1,2 s',
        'Supportkod (läs upp den för supporten): 434-JXJ-X29-W',
        '',
      ].join('\n'),
    );
  });

  it('adds evidence and details with --verbose, and colour only when asked', () => {
    const verbose = renderReport(report, { ...base, format: 'text', lang: 'en', verbose: true });
    expect(verbose).toContain('[✓] Card reader               1 card reader: Virtual PCD 00 00\n      Virtual PCD 00 00: card present\n      {\n        "readers": [');
    expect(verbose).toContain('"hsaId": "SE2321000016-****"');
    expect(verbose).not.toMatch(/\u001b\[/);
    const coloured = renderReport(report, { ...base, format: 'text', lang: 'en', colorLevel: 1 });
    expect(coloured).toContain('\u001b[32m[✓]\u001b[39m');
    expect(coloured).toContain('\u001b[31m[✗]\u001b[39m');
  });

  it('shows personal data only on request', () => {
    const shown = renderReport(report, { ...base, format: 'text', lang: 'en', showPersonalData: true });
    expect(shown).toContain('The authentication certificate of Tolvan Tolvansson expired');
    expect(shown).not.toMatch(/[\uE000-\uE002]/);
  });
});

describe('markdown report', () => {
  it('carries the same content plus the evidence, for a ticket', () => {
    expect(renderReport(report, { ...base, format: 'markdown', lang: 'en' })).toBe(
      [
        '# SITHS login check',
        '',
        '**Result:** ❌ FAILED (1 failed, 1 passed, 1 skipped)  ',
        '**Support code:** `434-JXJ-X29-W`  ',
        '**Ran:** 2026-11-26T08:00:00.000Z · 1.2 s · linux x64 · Node 20.20.2 · siths-doctor 9.9.9',
        '',
        '| | Check | Outcome |',
        '|---|---|---|',
        '| ✅ passed | Card reader (`reader`) | 1 card reader: Virtual PCD 00 00 |',
        '| ❌ failed | Certificates on the card (`card-cert`) | The authentication certificate of [name hidden] expired on 2026-11-06. |',
        '| ⏭️ skipped | Clock (`clock`) | Skipped: network checks are off (--offline). |',
        '',
        '## What to do',
        '',
        '1. ❌ **Certificates on the card:** Order a new card.',
        '',
        '## Evidence',
        '',
        '### Card reader (`reader`)',
        '',
        '- Virtual PCD 00 00: card present',
        '',
        '```json',
        '{',
        '  "readers": [',
        '    "Virtual PCD 00 00"',
        '  ]',
        '}',
        '```',
        '',
        '### Certificates on the card (`card-cert`)',
        '',
        '```json',
        '{',
        '  "hsaId": "SE2321000016-****",',
        '  "notAfter": "2026-11-06T00:00:00.000Z"',
        '}',
        '```',
        '',
        '### Clock (`clock`)',
        '',
        '```json',
        '{',
        '  "skipReason": "offline"',
        '}',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('is Swedish with --lang sv, and escapes table cells', () => {
    const pipe: RunReport = { ...report, results: [{ ...results[0]!, summary: msg('a | b\nc', 'a | b\nc') }] };
    const md = renderReport(pipe, { ...base, format: 'markdown', lang: 'sv' });
    expect(md).toContain('# Kontroll av SITHS-inloggning');
    expect(md).toContain('| ✅ godkänd | Kortläsare (`reader`) | a \\| b c |');
    expect(md).toContain('**Supportkod:**');
  });
});

describe('json report', () => {
  it('follows schema version 1 exactly', () => {
    const json = JSON.parse(renderReport(report, { ...base, format: 'json', lang: 'en' }));
    expect(json).toEqual({
      schemaVersion: 1,
      tool: { name: 'siths-doctor', version: '9.9.9' },
      lang: 'en',
      startedAt: '2026-11-26T08:00:00.000Z',
      durationMs: 1235,
      platform: { os: 'linux', arch: 'x64', node: '20.20.2' },
      summary: { status: 'fail', pass: 1, warn: 0, fail: 1, skip: 1, error: 0, supportCode: '434-JXJ-X29-W' },
      rootCause: null,
      rootCauses: [],
      checks: [
        {
          id: 'reader',
          status: 'pass',
          title: 'Card reader',
          summary: '1 card reader: Virtual PCD 00 00',
          advice: '',
          commands: [],
          links: [],
          agentHint: '',
          notes: ['Virtual PCD 00 00: card present'],
          durationMs: 12,
          details: { readers: ['Virtual PCD 00 00'] },
        },
        {
          id: 'card-cert',
          status: 'fail',
          title: 'Certificates on the card',
          summary: 'The authentication certificate of [name hidden] expired on 2026-11-06.',
          advice: 'Order a new card.',
          commands: [],
          links: [],
          agentHint: '',
          notes: [],
          durationMs: 230,
          details: { hsaId: 'SE2321000016-****', notAfter: '2026-11-06T00:00:00.000Z' },
        },
        {
          id: 'clock',
          status: 'skip',
          title: 'Clock',
          summary: 'Skipped: network checks are off (--offline).',
          advice: '',
          commands: [],
          links: [],
          agentHint: '',
          notes: [],
          durationMs: 0,
          details: { skipReason: 'offline' },
        },
      ],
    });
  });
});

describe('prometheus report', () => {
  it('exposes state sets per check and for the run, without personal data', () => {
    const text = renderReport(report, { ...base, format: 'prometheus', lang: 'sv' });
    expect(text).toBe(
      [
        '# HELP siths_doctor_info The siths-doctor run: version and support code.',
        '# TYPE siths_doctor_info gauge',
        'siths_doctor_info{version="9.9.9",support_code="434-JXJ-X29-W"} 1',
        '# HELP siths_doctor_run_status Overall outcome of the last run (1 for the outcome it had).',
        '# TYPE siths_doctor_run_status gauge',
        'siths_doctor_run_status{status="pass"} 0',
        'siths_doctor_run_status{status="warn"} 0',
        'siths_doctor_run_status{status="fail"} 1',
        'siths_doctor_run_status{status="error"} 0',
        'siths_doctor_run_status{status="skip"} 0',
        '# HELP siths_doctor_run_timestamp_seconds When the last run started, in seconds since the Unix epoch.',
        '# TYPE siths_doctor_run_timestamp_seconds gauge',
        'siths_doctor_run_timestamp_seconds 1795680000',
        '# HELP siths_doctor_run_duration_seconds How long the last run took.',
        '# TYPE siths_doctor_run_duration_seconds gauge',
        'siths_doctor_run_duration_seconds 1.235',
        '# HELP siths_doctor_check_status Outcome of each check (1 for the outcome it had).',
        '# TYPE siths_doctor_check_status gauge',
        ...['reader', 'card-cert', 'clock'].flatMap((id, i) =>
          ['pass', 'warn', 'fail', 'skip', 'error'].map((s) => `siths_doctor_check_status{check="${id}",status="${s}"} ${s === ['pass', 'fail', 'skip'][i] ? 1 : 0}`),
        ),
        '# HELP siths_doctor_check_duration_seconds How long each check took.',
        '# TYPE siths_doctor_check_duration_seconds gauge',
        'siths_doctor_check_duration_seconds{check="reader"} 0.012',
        'siths_doctor_check_duration_seconds{check="card-cert"} 0.23',
        'siths_doctor_check_duration_seconds{check="clock"} 0',
        '',
      ].join('\n'),
    );
    expect(text).not.toContain('Tolvan');
  });
});

describe('the support code in a report', () => {
  it('decodes to the outcomes of the report', () => {
    const decoded = decodeSupportCode('434-JXJ-X29-W');
    const states = Object.fromEntries(decoded.checks.map((c) => [c.id, c.state]));
    expect(states).toMatchObject({ reader: 'pass', 'card-cert': 'fail', clock: 'skip', card: 'not-run', 'idp-tls': 'not-run' });
  });
});

describe('overall status and exit code', () => {
  it('puts failures before errors before warnings', () => {
    expect(overallStatus(['pass', 'warn', 'error', 'fail'])).toBe('fail');
    expect(overallStatus(['pass', 'warn', 'error'])).toBe('error');
    expect(overallStatus(['pass', 'warn', 'skip'])).toBe('warn');
    // Only skips: nothing was checked, which is not a pass.
    expect(overallStatus(['skip'])).toBe('skip');
    expect(overallStatus([])).toBe('skip');
    expect([exitCodeFor('pass'), exitCodeFor('warn'), exitCodeFor('fail'), exitCodeFor('error'), exitCodeFor('skip')]).toEqual([0, 0, 1, 1, 1]);
  });
});
