import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { msg } from '../src/i18n/index.js';
import type { Probe, ProbeOutcome } from '../src/model.js';
import { encodeSupportCode } from '../src/support-code.js';
import { runBin, runMain, testProbe } from './helpers/cli.js';
import { testPki } from './helpers/pki.js';

const probe = (id: string, status: ProbeOutcome['status'], extra: Partial<Probe> = {}): Probe => testProbe(id, status, extra, msg('gör så', 'do this'));

const reader = probe('reader', 'pass');
const card = probe('card', 'fail', { dependsOn: ['reader'] });
const netid = probe('netid', 'warn');

describe('CLI (in process, with probes of the test)', () => {
  it('exits 0 when checks pass or warn, 1 when one fails', async () => {
    expect((await runMain(['check', 'netid'], [reader, card, netid])).code).toBe(0);
    const failing = await runMain([], [reader, card, netid]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('[✗] Title card');
    expect(failing.stderr).toBe('');
  });

  it('exits 1 when a check could not complete', async () => {
    const broken = probe('reader', 'pass', { run: () => Promise.reject(new Error('kaputt')) });
    const run = await runMain([], [broken]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('The check could not complete: kaputt');
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });

  it('runs the named checks and their prerequisites only', async () => {
    const run = await runMain(['check', 'card', '--format', 'json'], [reader, card, netid]);
    expect(JSON.parse(run.stdout).checks.map((c: { id: string }) => c.id)).toEqual(['reader', 'card']);
  });

  it('takes common options before or after the command name', async () => {
    const before = await runMain(['--format', 'json', '--lang', 'sv', 'check', 'reader'], [reader]);
    const after = await runMain(['check', 'reader', '--format', 'json', '--lang', 'sv'], [reader]);
    expect(JSON.parse(before.stdout).lang).toBe('sv');
    expect(JSON.parse(after.stdout).checks[0].title).toBe('Titel reader');
  });

  it('prints JSON and nothing else on stdout with --format json', async () => {
    const run = await runMain(['--format', 'json'], [reader, card, netid], { tty: true });
    const json = JSON.parse(run.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.summary).toMatchObject({ status: 'fail', pass: 1, warn: 1, fail: 1, skip: 0, error: 0 });
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('uses colour at a terminal, and never with NO_COLOR or --no-color', async () => {
    expect((await runMain([], [reader], { tty: true })).stdout).toMatch(/\u001b\[32m/);
    expect((await runMain([], [reader], { tty: true, env: { NO_COLOR: '1', CI: '1' } })).stdout).not.toMatch(/\u001b\[/);
    expect((await runMain(['--no-color'], [reader], { tty: true, env: { CI: '1' } })).stdout).not.toMatch(/\u001b\[/);
    expect((await runMain([], [reader], { tty: false })).stdout).not.toMatch(/\u001b\[/);
  });

  it('shows a spinner on stderr only for a person at a terminal', async () => {
    const slow = probe('reader', 'pass', { run: () => new Promise((r) => setTimeout(() => r({ status: 'pass', summary: msg('x', 'x') }), 300)) });
    const tty = await runMain([], [slow], { tty: true });
    expect(tty.stderr).toContain('Checking');
    expect(tty.stdout).not.toContain('Checking');
    expect((await runMain([], [slow], { tty: false })).stderr).toBe('');
    expect((await runMain(['--format', 'json'], [slow], { tty: true })).stderr).toBe('');
  });

  it('follows the locale, and --lang over it', async () => {
    expect((await runMain([], [reader], { env: { LANG: 'sv_SE.UTF-8' } })).stdout).toContain('Resultat: OK');
    expect((await runMain(['--lang', 'en'], [reader], { env: { LANG: 'sv_SE.UTF-8' } })).stdout).toContain('Result: OK');
  });

  it('writes the report to --output and says so on stderr', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-out-'));
    const file = path.join(dir, 'report.md');
    const run = await runMain(['--format', 'markdown', '--output', file], [reader]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`Report saved to ${file}\n`);
    expect(readFileSync(file, 'utf8')).toContain('# SITHS login check');
  });

  it('refuses an --output in a missing folder before running anything', async () => {
    let ran = false;
    const watched = probe('reader', 'pass', { run: async () => ((ran = true), { status: 'pass', summary: msg('x', 'x') }) });
    const run = await runMain(['--output', '/nonexistent-dir/x/report.json'], [watched]);
    expect(run.code).toBe(2);
    expect(ran).toBe(false);
    expect(run.stderr).toContain('The folder for --output does not exist: /nonexistent-dir/x');
  });

  it('rejects unknown check ids and bad option values with exit code 2', async () => {
    const unknown = await runMain(['check', 'cardd'], [reader, card]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('siths-doctor: Unknown check: cardd. Known checks: reader, card.\n');
    const timeout = await runMain(['--timeout', '0'], [reader]);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('Invalid value for --timeout: 0. Give milliseconds as a whole number from 1 to 600000');
    const format = await runMain(['--format', 'xml'], [reader], { env: { LANG: 'sv_SE.UTF-8' } });
    expect(format.code).toBe(2);
    expect(format.stderr).toBe('siths-doctor: Ogiltigt värde för --format: xml. Välj en av: text, json, markdown, prometheus. Se ”siths-doctor --help”.\n');
  });

  it('skips with --skip, comma separated or repeated', async () => {
    const run = await runMain(['check', '--skip', 'reader,netid', '--format', 'json'], [reader, card, netid]);
    const statuses = JSON.parse(run.stdout).checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`);
    expect(statuses).toEqual(['reader:skip', 'card:skip', 'netid:skip']);
  });

  it('keeps a former check id working as an alias: check, --skip and list-checks', async () => {
    const software = probe('card-software', 'pass', { aliases: ['netid'] });
    const run = await runMain(['check', 'netid', '--format', 'json'], [reader, card, software]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).checks.map((c: { id: string }) => c.id)).toEqual(['card-software']);
    const skipped = await runMain(['check', '--skip', 'netid', '--format', 'json'], [reader, card, software]);
    expect(JSON.parse(skipped.stdout).checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual(['reader:pass', 'card:fail', 'card-software:skip']);
    const list = await runMain(['list-checks'], [reader, software]);
    expect(list.stdout).toContain('card-software  Title card-software (also: netid)');
    const json = JSON.parse((await runMain(['list-checks', '--format', 'json'], [software])).stdout);
    expect(json.checks[0].aliases).toEqual(['netid']);
  });

  it('lists checks with what they need', async () => {
    const text = await runMain(['list-checks'], [reader, card]);
    expect(text.stdout).toBe(
      'reader  Title reader\n        Checks reader\ncard    Title card (needs: reader)\n        Checks card\n\n' +
        "More on each check, its outcomes and details: docs/checks.md in siths-doctor's source.\n",
    );
    const json = JSON.parse((await runMain(['list-checks', '--format', 'json'], [reader, card])).stdout);
    expect(json.checks[1]).toEqual({ id: 'card', title: 'Title card', description: 'Checks card', dependsOn: ['reader'], network: false });
  });

  it('explains a support code, and rejects a misheard one with exit code 2', async () => {
    const code = encodeSupportCode(new Map([['reader', 'pass'], ['card', 'fail']]));
    const run = await runMain(['explain', code, '--lang', 'sv'], [reader, card]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[✓] Titel reader');
    expect(run.stdout).toMatch(/\[✗\] Titel card\s+fel \(card\)/);
    expect(run.stdout).toMatch(/card-software\s+kördes inte \(card-software\)/);
    const wrong = code.slice(0, -1) + (code.endsWith('2') ? '3' : '2');
    const bad = await runMain(['explain', wrong], [reader, card]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('does not add up');
  });

  it('stops on Ctrl-C with exit code 130 and no report', async () => {
    const hang = probe('reader', 'pass', { run: () => new Promise(() => undefined) });
    setTimeout(() => process.emit('SIGINT'), 100);
    const t0 = performance.now();
    const run = await runMain(['--timeout', '20000'], [hang]);
    expect(run.code).toBe(130);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('Interrupted.\n');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('exits 3 when the tool itself breaks', async () => {
    const run = await runMain([], [reader], {
      system: {
        get clock(): never {
          throw new Error('no clock');
        },
      },
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('internal error: no clock');
  });
});

describe('CLI (the built tool as a child process)', () => {
  it('prints help and exits 0, in both languages', async () => {
    const en = await runBin(['--help']);
    expect(en.code).toBe(0);
    expect(en.stdout).toContain('Usage: siths-doctor [options] [command]');
    expect(en.stdout).toContain('Exit codes:');
    const sv = await runBin(['--help'], { env: { LANG: 'sv_SE.UTF-8' } });
    expect(sv.stdout).toContain('Användning: siths-doctor');
    expect(sv.stdout).toContain('Slutkoder:');
  });

  it('prints the version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const run = await runBin(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('exits 2 for an unknown option or command, pointing to --help', async () => {
    const opt = await runBin(['--frmat', 'json']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toBe('siths-doctor: Unknown option: --frmat. Did you mean --format? See “siths-doctor --help”.\n');
    const cmd = await runBin(['chekc']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain('Unknown command: chekc.');
    expect(cmd.stdout).toBe('');
  });

  it('gives parseable JSON alone on stdout and a contract exit code, in bounded time', async () => {
    const run = await runBin(['--format', 'json', '--offline', '--timeout', '3000']);
    expect([0, 1]).toContain(run.code);
    const json = JSON.parse(run.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(run.ms).toBeLessThan(3000 + 1000 + 2000);
  });

  it('does not leave a report half written when --output is given', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-bin-'));
    const file = path.join(dir, 'r.json');
    const run = await runBin(['--format', 'json', '--offline', '--timeout', '2000', '-o', file]);
    expect([0, 1]).toContain(run.code);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(1);
    // The child's temp file has a random name: only "nothing but the report" can tell one was left.
    expect(readdirSync(dir)).toEqual(['r.json']);
  });
});

describe('options of the checks', () => {
  const seen = (into: { options?: unknown }) =>
    probe('reader', 'pass', {
      run: async (ctx) => {
        into.options = ctx.options;
        return { status: 'pass', summary: msg('x', 'x') };
      },
    });

  it('parses network, card and Net iD options into DoctorOptions', async () => {
    const box: { options?: Record<string, unknown> } = {};
    // A real certificate: a --cert file without one is refused before the run.
    const pki = testPki();
    const certFile = pki.path(pki.manifest.certificates['card-hsa-auth-valid']!.pem);
    const run = await runMain(
      [
        '--resolve', 'test.siths.se:443:127.0.0.1',
        '--resolve', 'Idp.Example.se:8443:[::1]',
        '--proxy', 'http://user:secret@proxy.example:3128',
        '--idp-host', 'm07-mg-local.idp.funktionstjanster.se',
        '--idp-host', 'idp.example:8443',
        '--cert', certFile,
        '--expiry-warn-days', '14',
        '--pkcs11-module', '/x/libiidp11.so',
        '--test-url', 'https://test.example/',
      ],
      [seen(box)],
    );
    expect(run.stderr).toBe('');
    expect(box.options).toMatchObject({
      resolve: [
        { host: 'test.siths.se', port: 443, address: '127.0.0.1' },
        { host: 'idp.example.se', port: 8443, address: '::1' },
      ],
      proxy: 'http://user:secret@proxy.example:3128',
      noProxy: false,
      idpHosts: [
        { host: 'm07-mg-local.idp.funktionstjanster.se', port: 443 },
        { host: 'idp.example', port: 8443 },
      ],
      certFiles: [certFile],
      expiryWarnDays: 14,
      pkcs11Module: '/x/libiidp11.so',
      testUrl: 'https://test.example/',
    });
  });

  it('has defaults for the IdP host, test page and expiry warning, and understands --no-proxy', async () => {
    const box: { options?: Record<string, unknown> } = {};
    await runMain(['--no-proxy'], [seen(box)]);
    expect(box.options).toMatchObject({
      idpHosts: [
        { host: 'm00-mg-local.idp.funktionstjanster.se', port: 443 },
        { host: 'idp.inera.se', port: 443 },
      ],
      testUrl: 'https://test.siths.se/',
      expiryWarnDays: 30,
      noProxy: true,
      proxy: undefined,
      resolve: [],
      caFiles: [],
    });
  });

  it('rejects malformed values with a clear message and exit code 2', async () => {
    const cases: [string[], string][] = [
      [['--resolve', 'test.siths.se:443'], 'Write HOST:PORT:ADDRESS'],
      [['--resolve', 'test.siths.se:99999:127.0.0.1'], 'invalid port: 99999'],
      [['--resolve', 'test.siths.se:443:not-an-ip'], 'Write HOST:PORT:ADDRESS'],
      [['--proxy', 'proxy.example:3128'], '--proxy must'],
      [['--proxy', 'socks5://proxy.example:1080'], '--proxy must start with http: or https:'],
      [['--idp-host', 'bad host'], 'Give a host name'],
      [['--expiry-warn-days', '-3'], 'Invalid value for --expiry-warn-days: -3. Give a number of days from 0 to 3650.'],
      [['--expiry-warn-days', 'soon'], 'Give a number of days from 0 to 3650.'],
      [['--test-url', 'ftp://x'], '--test-url must start with https: or http:'],
    ];
    for (const [args, message] of cases) {
      const run = await runMain(args, [probe('reader', 'pass')]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain(message);
    }
  });

  it('refuses missing input files before running anything', async () => {
    const missing = await runMain(['--cert', '/nope/card.pem'], [probe('reader', 'pass')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('siths-doctor: The file for --cert does not exist: /nope/card.pem\n');
    const folder = await runMain(['--ca-file', '/tmp', '--lang', 'sv'], [probe('reader', 'pass')]);
    expect(folder.stderr).toBe('siths-doctor: Filen för --ca-file är en mapp: /tmp\n');
    const pac = await runMain(['--pac', 'file:///nope/proxy.pac'], [probe('reader', 'pass')]);
    expect(pac.stderr).toContain('The file for --pac does not exist: /nope/proxy.pac');
    expect((await runMain(['--pac', 'http://wpad.example/wpad.dat'], [probe('reader', 'pass')])).code).toBe(0);
  });
});

describe('usage errors in our words, from commander hooks', () => {
  const probes = [probe('reader', 'pass')];
  it.each([
    [['list-checks', 'x', '--lang', 'sv'], 'siths-doctor: list-checks tar inga argument (fick x). Se ”siths-doctor list-checks --help”.\n'],
    [['list-checks', 'x'], 'siths-doctor: list-checks takes no arguments (got x). See “siths-doctor list-checks --help”.\n'],
    [['explain', '--lang', 'sv'], 'siths-doctor: Ange en supportkod, till exempel: siths-doctor explain 222-J3A-U2Z. Se ”siths-doctor explain --help”.\n'],
    [['--timeout', 'abc', '--lang', 'sv'], 'siths-doctor: Ogiltigt värde för --timeout: abc. Ange millisekunder som ett heltal mellan 1 och 600000, till exempel 10000. Se ”siths-doctor --help”.\n'],
    [['--timeout'], 'siths-doctor: --timeout needs a value. See “siths-doctor --help”.\n'],
    [['check', '--frmat', 'json', '--lang', 'sv'], 'siths-doctor: Okänd flagga: --frmat. Menade du --format? Se ”siths-doctor check --help”.\n'],
  ])('%j', async (args, stderr) => {
    const run = await runMain(args, probes);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(stderr);
    expect(run.stdout).toBe('');
  });

  it('shows each command only the options it takes, in the user\'s language', async () => {
    const readers = (await runMain(['readers', '--help', '--lang', 'sv'], probes)).stdout;
    expect(readers).toMatch(/^Användning: siths-doctor readers \[flaggor\]/);
    expect(readers).not.toMatch(/--cert|--proxy|--skip|\[options\]/);
    const explain = (await runMain(['explain', '--help'], probes)).stdout;
    expect(explain).not.toMatch(/--timeout|--cert|--proxy/);
    const check = (await runMain(['check', '--help'], probes)).stdout;
    // --skip sits with the run options, before the card options.
    expect(check.indexOf('--skip')).toBeGreaterThan(check.indexOf('Run:'));
    expect(check.indexOf('--skip')).toBeLessThan(check.indexOf('Card and certificates:'));
    expect(check).toMatch(/--cert <file>\s+analyse a certificate file instead of the\s+card's: PEM \(\.pem/);
  });
});
