import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureExecutables } from './helpers/executables.js';
import type { JsonCheck } from './helpers/cli.js';
import { testPki } from './helpers/pki.js';
import { describeWith } from './helpers/prereq.js';
import { Terminal, TERMINAL_PREREQUISITES, until } from './helpers/terminal.js';
import { WINE_PREREQUISITES, WinePrefix, windowsNode, winePath as z } from './helpers/wine.js';

describeWith('the Windows executable under Wine', [...WINE_PREREQUISITES, ...TERMINAL_PREREQUISITES], () => {
  let exe: string;
  let wine: WinePrefix;

  beforeAll(async () => {
    exe = ensureExecutables().win;
    wine = await WinePrefix.create();
  }, 900_000);
  afterAll(async () => {
    await wine?.remove();
  });

  it('prints its version', async () => {
    const r = await wine.wine([exe, '--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('explains a support code it made itself', async () => {
    const check = await wine.wine([exe, 'check', '--offline', '--format', 'json', '--lang', 'en']);
    const code = JSON.parse(check.stdout).summary.supportCode as string;
    const r = await wine.wine([exe, 'explain', code, '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(code);
    expect(r.stdout).toContain('Card software');
  });

  it('lists the checks', async () => {
    const r = await wine.wine([exe, 'list-checks', '--lang', 'en']);
    expect(r.code).toBe(0);
    for (const id of ['pcsc-service', 'card-cert', 'card-software', 'idp-tls']) expect(r.stdout).toContain(id);
  });

  it('judges test certificates given with --cert: a valid one passes, an expired one fails', async () => {
    const pki = testPki();
    const judge = async (file: string): Promise<{ code: number | null; check: JsonCheck }> => {
      const r = await wine.wine([exe, 'cert', '--cert', z(pki.path(file)), '--format', 'json', '--lang', 'en']);
      return { code: r.code, check: (JSON.parse(r.stdout).checks as JsonCheck[])[0]! };
    };
    const valid = await judge('card-hsa-auth-valid.pem');
    expect(valid.code).toBe(0);
    expect(valid.check).toMatchObject({ id: 'card-cert', status: 'pass' });
    expect(valid.check.summary).toContain('valid until');
    const expired = await judge('card-hsa-auth-expired.pem');
    expect(expired.code).toBe(1);
    expect(expired.check).toMatchObject({ id: 'card-cert', status: 'fail' });
    expect(expired.check.summary).toContain('expired');
  });

  it('writes a JSON report with -o, and reports Windows', async () => {
    const r = await wine.wine([exe, 'check', '--offline', '--format', 'json', '-o', 'C:\\report.json']);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    const report = JSON.parse(readFileSync(wine.unixPath('C:\\report.json'), 'utf8'));
    expect(report.platform.os).toBe('win32');
    expect((report.checks as JsonCheck[]).map((c) => c.id)).toContain('card-software');
    expect(r.stdout).toBe('');
  });

  it('finds Net iD Client from the registry keys and folder that reg add and the installer would make', async () => {
    const dir = 'C:\\Program Files\\Pointsharp\\Net iD\\Client';
    await wine.addValue('HKLM\\SOFTWARE\\Pointsharp\\NetiD\\Client\\Install', 'Directory', dir);
    await wine.addValue('HKLM\\SOFTWARE\\Pointsharp\\NetiD\\Client\\Install', 'Version', '7.3.0.12');
    mkdirSync(wine.unixPath(dir), { recursive: true });
    writeFileSync(path.join(wine.unixPath(dir), 'netid.exe'), 'TEST: marker file, not a program');
    // `netid` is the card software check's old id, kept as an alias.
    const r = await wine.wine([exe, 'check', 'netid', '--format', 'json', '--lang', 'en']);
    const check = (JSON.parse(r.stdout).checks as JsonCheck[]).find((c) => c.id === 'card-software')!;
    expect(check.status).not.toBe('fail');
    expect(check.details).toMatchObject({ product: 'client', version: '7.3.0.12', installPath: dir });
    expect(check.details.installations[0].foundBy).toEqual(expect.arrayContaining(['registry', 'install-folder']));
  });

  it('runs its PKCS#11 child (started with the run, the library handed over later): Wine’s real kernel32.dll is named as no PKCS#11 library', async () => {
    const r = await wine.wine([exe, 'check', 'netid-token', '--pkcs11-module', 'C:\\windows\\system32\\kernel32.dll', '--format', 'json', '--lang', 'en']);
    const token = (JSON.parse(r.stdout) as { checks: JsonCheck[] }).checks.find((c) => c.id === 'netid-token')!;
    expect(token.status).toBe('fail');
    // The child loaded the DLL and looked for the PKCS#11 entry point: it was given the path, and koffi works there.
    expect(token.details).toMatchObject({ stage: 'load-library', error: expect.stringContaining('C_GetFunctionList') });
    expect(token.summary).toBe('C:\\windows\\system32\\kernel32.dll does not load as a PKCS#11 library: C:\\windows\\system32\\kernel32.dll: undefined symbol: C_GetFunctionList');
  });

  it('ends pcsc-service with a clear outcome under Wine’s stub winscard.dll', async () => {
    const r = await wine.wine([exe, 'check', 'pcsc-service', '--format', 'json', '--lang', 'en']);
    expect([0, 1]).toContain(r.code);
    const check = (JSON.parse(r.stdout).checks as JsonCheck[]).find((c) => c.id === 'pcsc-service')!;
    expect(['pass', 'fail', 'error']).toContain(check.status);
    expect(check.summary.length).toBeGreaterThan(10);
    expect(r.stderr).not.toMatch(/internal error|Unhandled|at .*:\d+:\d+/);
  });

  /**
   * In a real terminal, Wine gives a Windows program a console of its own
   * (conhost --unix), as Explorer does for a double-click: the only process
   * attached to it. `cmd /c` in that terminal is the prompt: the console is
   * shared with cmd.exe (which sets its title first, as a Windows prompt has one).
   */
  function inWineConsole(name: string, commandLine: string): Terminal {
    return Terminal.open(name, [`cd "${path.dirname(exe)}"`, `${commandLine}`, 'echo $? > "$DONE"'], { ...wine.env, LANG: 'C.UTF-8' }, { columns: 120, rows: 50 });
  }

  it('double-clicked (a console of its own, no arguments): runs every check, shows the report and waits for Enter', async () => {
    await inWineConsole('double-click', `wine ${path.basename(exe)}`).drive(async (terminal) => {
      await until('“Press Enter to close”', () => (terminal.screen().includes('Press Enter to close') ? true : undefined), 300_000);
      expect(terminal.screen()).toMatch(/Support code \(read it out to the helpdesk\): [0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]/);
      // Still waiting: it has not ended on its own.
      await new Promise((r) => setTimeout(r, 1000));
      expect(terminal.finished()).toBeUndefined();
      terminal.keys('Enter');
      // The exit code is the report's: here the smart card service is Wine's stub, so the run failed.
      expect(await until('the program to end after Enter', () => terminal.finished(), 60_000)).toBe(1);
    });
  }, 400_000);

  it('started from a prompt (cmd.exe shares the console): shows the report and ends without waiting', async () => {
    await inWineConsole('prompt', `wine cmd /c "title Kommandotolken & ${path.basename(exe)}"`).drive(async (terminal) => {
      expect(await until('the program to end', () => terminal.finished(), 300_000)).toBe(1);
      expect(terminal.screen()).toMatch(/Support code/);
      expect(terminal.screen()).not.toContain('Press Enter to close');
    });
  }, 400_000);

  it('speaks Swedish on a Swedish Windows: from the user locale alone, with no LANG or LC_* in its environment', async () => {
    // Wine takes the Windows user locale from LC_ALL, but passes LC_ALL on to the program too. So the executable is
    // started by a Windows program (the pinned node.exe) that leaves LANG and LC_* out of its environment, as Windows has none.
    const launcher = path.join(wine.dir, 'drive_c', 'launch-without-lang.js');
    writeFileSync(
      launcher,
      [
        "const { spawnSync } = require('node:child_process');",
        "const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LANG|LANGUAGE|LC_.*)$/i.test(k)));",
        `const r = spawnSync(${JSON.stringify(z(exe))}, ['list-checks'], { env, encoding: 'utf8' });`,
        "require('node:fs').writeFileSync(process.argv[2], JSON.stringify({ status: r.status, stdout: r.stdout, stderr: r.stderr, env: Object.keys(env).filter((k) => /^(LANG|LC_)/i.test(k)) }));",
      ].join('\n'),
    );
    const result = path.join(wine.dir, 'drive_c', 'launch-result.json');
    for (const [locale, title] of [['sv_SE.UTF-8', 'Smartkortstjänsten'], ['en_GB.UTF-8', 'Smart card service']] as const) {
      const r = await wine.wine([await windowsNode(), z(launcher), z(result)], 120_000, { LC_ALL: locale, LANG: undefined, LC_MESSAGES: undefined });
      expect(r.code, r.stderr).toBe(0);
      const child = JSON.parse(readFileSync(result, 'utf8')) as { status: number; stdout: string; stderr: string; env: string[] };
      expect(child.env).toEqual([]);
      expect(child.status, child.stderr).toBe(0);
      expect(child.stdout.split('\n')[0]).toMatch(new RegExp(`^pcsc-service +${title}$`));
    }
  }, 300_000);

  it('never waits for Enter when started by a script (no console of its own)', async () => {
    const r = await wine.wine([exe], 300_000);
    expect(r.code).not.toBeNull();
    expect(r.stdout).toMatch(/Support code|Supportkod/);
    expect(r.stdout).not.toContain('Press Enter to close');
    expect(r.stdout).not.toContain('Tryck Enter');
  });
});
