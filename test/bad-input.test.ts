import { describe, expect, it } from 'vitest';
import { runMain, testProbe } from './helpers/cli.js';

const reader = testProbe('reader', 'pass');
const card = testProbe('card', 'pass', { dependsOn: ['reader'] });
const proxy = testProbe('proxy', 'pass');
const idpTls = testProbe('idp-tls', 'pass', { dependsOn: ['proxy'], network: true });

describe('bad input on the command line', () => {
  it('help for a command that does not exist is exit 2 naming it', async () => {
    const run = await runMain(['help', 'nosuch'], [reader]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command: nosuch.');
    expect(run.stdout).toBe('');
    expect((await runMain(['help', 'check'], [reader])).code).toBe(0);
  });

  it('refuses a format a command cannot produce, naming the ones it can', async () => {
    const list = await runMain(['list-checks', '--format', 'prometheus'], [reader]);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('--format prometheus does not go with list-checks; choose one of: text, json, markdown.');
    expect(list.stdout).toBe('');
    const explain = await runMain(['explain', '25J-KK5-67X', '--format', 'prometheus'], [reader]);
    expect(explain.code).toBe(2);
    expect(explain.stderr).toContain('--format prometheus does not go with explain');
    const watch = await runMain(['readers', '--watch', '--format', 'markdown', '--lang', 'sv'], [reader]);
    expect(watch.code).toBe(2);
    expect(watch.stderr).toContain('--format markdown går inte med readers --watch; välj en av: text, json.');
  });
});

describe('a run where nothing was checked', () => {
  it('does not say OK for `tls --offline`, and exits 1', async () => {
    const run = await runMain(['tls', '--offline'], [proxy, idpTls]);
    expect(run.stdout).toContain('Result: NOTHING WAS CHECKED');
    expect(run.stdout).not.toContain('Result: OK');
    expect(run.code).toBe(1);
    const json = await runMain(['tls', '--offline', '--format', 'json'], [proxy, idpTls]);
    expect(JSON.parse(json.stdout).summary.status).toBe('skip');
    const prom = await runMain(['tls', '--offline', '--format', 'prometheus'], [proxy, idpTls]);
    expect(prom.stdout).toContain('siths_doctor_run_status{status="skip"} 1');
  });

  it('does not say OK for `check card --skip card`, in Swedish either', async () => {
    const run = await runMain(['check', 'card', '--skip', 'card', '--lang', 'sv'], [reader, card]);
    expect(run.stdout).toContain('Resultat: INGET KONTROLLERADES');
    expect(run.code).toBe(1);
  });

  it('still fails when a prerequisite failed, and passes when what was asked passed', async () => {
    const broken = testProbe('reader', 'fail');
    expect((await runMain(['check', 'card'], [broken, card])).code).toBe(1);
    expect((await runMain(['check', 'card'], [broken, card])).stdout).toContain('Result: FAILED');
    expect((await runMain(['check', 'card'], [reader, card])).code).toBe(0);
  });
});
