import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/model.js';
import type { NetidDetails } from '../src/netid/types.js';
import { defaultOptions } from '../src/options.js';
import { netidProbe } from '../src/probes/netid.js';
import { runProbes } from '../src/runner.js';
import type { System } from '../src/system.js';
import { recordedExec, windowsScenario } from './helpers/recorded.js';
import { testSystem } from './helpers/system.js';

async function netidOn(system: Partial<System>, options = defaultOptions()): Promise<CheckResult<NetidDetails>> {
  const [result] = await runProbes({ probes: [netidProbe], options, system: testSystem(system) });
  return result as CheckResult<NetidDetails>;
}

describe('netid on Windows (recorded reg.exe outputs)', () => {
  it('finds Net iD Enterprise on an English Windows: product key, Uninstall entry, iidp11.dll', async () => {
    const { system, exec } = windowsScenario('enterprise-en');
    const result = await netidOn(system);
    expect(result.status).toBe('pass');
    expect(result.details).toMatchObject({
      product: 'enterprise',
      productName: 'Net iD Enterprise',
      version: '6.8.1.2',
      installPath: 'C:\\Program Files\\Net iD',
      pkcs11Library: 'C:\\Program Files\\Net iD\\iidp11.dll',
      pkcs11LibrarySource: 'search',
    });
    expect(result.details!.installations).toHaveLength(1);
    expect(result.details!.installations[0]!.foundBy).toEqual(['registry', 'uninstall-entry', 'install-folder']);
    expect(result.summary.en).toBe('Net iD Enterprise 6.8.1.2 is installed in C:\\Program Files\\Net iD; PKCS#11 library: C:\\Program Files\\Net iD\\iidp11.dll');
    expect(result.summary.sv).toContain('är installerat i C:\\Program Files\\Net iD');
    // reg.exe is the system's own, found through SystemRoot, and the product key is read recursively.
    expect(exec.calls).toContainEqual(['C:\\WINDOWS\\System32\\reg.exe', 'query', 'HKLM\\SOFTWARE\\SecMaker\\NetiD\\Enterprise', '/s']);
    // The sourced note about Inera's support for Enterprise.
    expect(result.notes!.some((n) => n.en.includes('2023-06-30'))).toBe(true);
  });

  it('finds Net iD Client on a Swedish Windows, expanding %ProgramFiles% in a REG_EXPAND_SZ', async () => {
    const { system } = windowsScenario('client-sv');
    const result = await netidOn(system);
    expect(result.status).toBe('pass');
    expect(result.details).toMatchObject({
      product: 'client',
      productName: 'Net iD Client',
      version: '1.4.1.2',
      installPath: 'C:\\Program Files\\Net iD\\Client',
      pkcs11Library: 'C:\\Program Files\\Net iD\\Client\\netid-pkcs11.dll',
    });
    expect(result.details!.installations[0]!.foundBy).toEqual(['registry', 'uninstall-entry', 'install-folder']);
    expect(result.notes!.some((n) => n.en.includes('2023-06-30'))).toBe(false);
  });

  it('finds a 32-bit Enterprise only in the WOW6432Node twins and Program Files (x86)', async () => {
    const { system } = windowsScenario('wow6432-en');
    const result = await netidOn(system);
    expect(result.status).toBe('pass');
    expect(result.details).toMatchObject({
      product: 'enterprise',
      version: '6.7.3.5',
      installPath: 'C:\\Program Files (x86)\\Net iD',
      pkcs11Library: 'C:\\Program Files (x86)\\Net iD\\iidp11.dll',
    });
  });

  it('warns when only an Uninstall entry remains and the folder with the library is gone', async () => {
    const { system } = windowsScenario('uninstall-only-en');
    const result = await netidOn(system);
    expect(result.status).toBe('warn');
    expect(result.details).toMatchObject({ product: 'enterprise', version: '6.8.0.9', installations: [{ foundBy: ['uninstall-entry'] }] });
    expect(result.details!.pkcs11Library).toBeUndefined();
    expect(result.details!.searched).toContain('D:\\Apps\\Net iD');
    expect(result.summary.en).toBe('Net iD Enterprise 6.8.0.9 is installed, but its PKCS#11 library was not found.');
    expect(result.advice!.en).toMatch(/reinstall Net iD/);
    expect(result.advice!.en).not.toMatch(/--pkcs11-module/);
    expect(result.agentHint!.en).toMatch(/--pkcs11-module/);
  });

  it('ignores values of unexpected types with a note, and merges an entry named just "Net iD" into the folder it points to', async () => {
    const { system } = windowsScenario('odd-values-en');
    const result = await netidOn(system);
    expect(result.status).toBe('pass');
    expect(result.details!.installations).toHaveLength(1);
    expect(result.details).toMatchObject({ product: 'enterprise', installPath: 'C:\\Program Files\\Net iD', pkcs11Library: 'C:\\Program Files\\Net iD\\iidp11.dll' });
    // Version was a REG_DWORD and the entry has no DisplayVersion: no version, said plainly.
    expect(result.details!.version).toBeUndefined();
    expect(result.summary.en).toContain('Net iD Enterprise (version unknown) is installed');
    expect(result.details!.installations[0]!.foundBy).toEqual(['registry', 'install-folder', 'uninstall-entry']);
    const notes = result.notes!.map((n) => n.en);
    expect(notes).toContainEqual(expect.stringContaining('value Version has type REG_DWORD, expected text (REG_SZ); ignored'));
    expect(notes).toContainEqual(expect.stringContaining('value Directory has type REG_BINARY'));
  });

  it('fails with install advice on a Swedish Windows without Net iD', async () => {
    const { system } = windowsScenario('not-installed-sv');
    const result = await netidOn(system, defaultOptions({ lang: 'sv' }));
    expect(result.status).toBe('fail');
    expect(result.summary.sv).toBe('Net iD är inte installerat (letade i registret (SecMaker, Pointsharp, Uninstall) och Program Files).');
    expect(result.advice!.sv).toMatch(/IT-avdelningen/);
    expect(result.advice!.en).toMatch(/Inera's SITHS pages \(inera\.se\)/);
    expect(result.details!.installations).toEqual([]);
    expect(result.details!.searched).toEqual(
      expect.arrayContaining(['HKLM\\SOFTWARE\\SecMaker\\NetiD\\Enterprise', 'HKLM\\SOFTWARE\\WOW6432Node\\Pointsharp\\NetiD\\Client', 'C:\\Program Files\\Net iD']),
    );
  });

  it('is an error, not "not installed", when reg.exe cannot run and nothing is on disk', async () => {
    const { system } = windowsScenario('not-installed-sv');
    const result = await netidOn({ ...system, exec: recordedExec([]) });
    expect(result.status).toBe('error');
    expect(result.notes!.map((n) => n.en).join()).toMatch(/reg\.exe not found/);
  });

  it('still finds the files when reg.exe hangs, and says the registry could not be read', async () => {
    const { system } = windowsScenario('enterprise-en');
    const hanging = recordedExec([], () => ({ code: null, stdout: '', stderr: '', timedOut: true }));
    const result = await netidOn({ ...system, exec: hanging });
    expect(result.status).toBe('pass');
    expect(result.details).toMatchObject({ product: 'enterprise', installations: [{ foundBy: ['install-folder'] }] });
    expect(result.notes!.map((n) => n.en).join()).toMatch(/did not answer in time/);
  });
});
