import { describe, expect, it } from 'vitest';
import { msg } from '../src/i18n/index.js';
import { remedy, type CheckResult } from '../src/model.js';
import { renderReport } from '../src/report/index.js';
import type { RenderedReport } from '../src/report/report.js';

const service: CheckResult = {
  id: 'pcsc-service',
  title: msg('Smartkortstjänsten', 'Smart card service'),
  status: 'fail',
  summary: msg('Smartkortstjänsten körs inte.', 'The smart card service is not running.'),
  advice: remedy(msg('Starta smartkortstjänsten.', 'Start the smart card service.'), {
    commands: [{ run: 'sudo systemctl start pcscd', platform: 'linux' }, { run: 'Start-Service SCardSvr', platform: 'win32' }],
    links: [{ title: msg('Inera om SITHS', 'Inera on SITHS'), url: 'https://www.inera.se/tjanster/siths/' }],
  }),
  agentHint: msg('Kör igen med --verbose.', 'Run again with --verbose.'),
  durationMs: 3,
};
const plain: CheckResult = {
  id: 'netid',
  title: msg('Net iD installerat', 'Net iD installed'),
  status: 'warn',
  summary: msg('Gammal version.', 'Old version.'),
  advice: msg('Uppdatera Net iD.', 'Update Net iD.'),
  durationMs: 1,
};
const report = {
  tool: { name: 'siths-doctor', version: '9.9.9' },
  startedAt: new Date('2026-11-26T08:00:00Z'),
  durationMs: 10,
  platform: { os: 'linux', arch: 'x64', node: '20.20.2' },
  results: [service, plain],
};
const base = { showPersonalData: false, colorLevel: 0 as const, verbose: false, lang: 'en' as const };

describe('advice as data', () => {
  it('JSON carries the text, every command with its platform, the links and the agent hint', () => {
    const json = JSON.parse(renderReport(report, { ...base, format: 'json' })) as RenderedReport;
    expect(json.checks[0]).toMatchObject({
      advice: 'Start the smart card service.',
      commands: [{ run: 'sudo systemctl start pcscd', platform: 'linux' }, { run: 'Start-Service SCardSvr', platform: 'win32' }],
      links: [{ title: 'Inera on SITHS', url: 'https://www.inera.se/tjanster/siths/' }],
      agentHint: 'Run again with --verbose.',
    });
    // A plain text is still a whole remediation.
    expect(json.checks[1]).toMatchObject({ advice: 'Update Net iD.', commands: [], links: [], agentHint: '' });
  });

  it('text puts the commands for this platform and the links on lines of their own; the agent hint only with --verbose', () => {
    const text = renderReport(report, { ...base, format: 'text' });
    expect(text).toContain('  1. [✗] Smart card service: Start the smart card service.\n         $ sudo systemctl start pcscd\n         Inera on SITHS: https://www.inera.se/tjanster/siths/\n');
    expect(text).toContain('  2. [!] Net iD installed: Update Net iD.');
    expect(text).not.toContain('Start-Service');
    expect(text).not.toContain('--verbose');
    expect(renderReport(report, { ...base, format: 'text', verbose: true })).toContain('For the helpdesk: Run again with --verbose.');
  });

  it('markdown carries copyable commands, links and the agent hint', () => {
    const md = renderReport(report, { ...base, format: 'markdown' });
    expect(md).toContain('1. ❌ **Smart card service:** Start the smart card service.\n\n   ```\n   sudo systemctl start pcscd\n   ```\n   - [Inera on SITHS](<https://www.inera.se/tjanster/siths/>)\n   - *For the helpdesk:* Run again with --verbose.');
  });
});
