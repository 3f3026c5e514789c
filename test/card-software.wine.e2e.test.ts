import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { atrBytes, atrMatches } from '../src/netid/smartcards.js';
import type { JsonCheck } from './helpers/cli.js';
import { describeWith } from './helpers/prereq.js';
import { WINE_PREREQUISITES, WinePrefix, windowsNode, winePath } from './helpers/wine.js';

const UNINSTALL = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall';
const APP = `${UNINSTALL}\\{3E6A1D2C-7B45-4F0E-9C21-A0B1C2D3E4F5}`;
const SAC = `${UNINSTALL}\\{A7C1E0F2-5D3B-4C89-B1E6-0F9D8C7B6A54}`;
const ENTERPRISE = `${UNINSTALL}\\{6F2A9C41-3B7D-4E15-9A0C-58D21E7B4F03}`;
const SAC_LIBRARY = 'C:\\windows\\system32\\eTPKCS11.dll';
const ENTERPRISE_FILES = ['C:\\Program Files\\Net iD\\iid.exe', 'C:\\Program Files\\Net iD\\iidp11.dll'];
const LAUNCHER = new URL('../bin/siths-doctor.js', import.meta.url).pathname;
const SMARTCARDS_JS = new URL('../dist/netid/smartcards.js', import.meta.url).pathname;
const CALAIS = 'HKLM\\SOFTWARE\\Microsoft\\Cryptography\\Calais\\SmartCards';

/**
 * The card software check on Windows, for real: Windows' node.exe under Wine
 * runs dist/ and finds what Wine's own reg.exe added (Uninstall entries as
 * the installers write them) and the files on drive C:. One prefix for the
 * file; each test sets up the machine it needs.
 */
describeWith('card software under Wine (the real reg.exe, Windows node.exe, dist/)', WINE_PREREQUISITES, () => {
  let prefix: WinePrefix;
  let node: string;
  beforeAll(async () => {
    node = await windowsNode();
    prefix = await WinePrefix.create();
  }, 300_000);
  afterAll(async () => {
    await prefix?.remove();
  });

  async function machine(entries: { key: string; name: string; version: string; location?: string }[], files: string[]): Promise<void> {
    for (const key of [APP, SAC, ENTERPRISE]) await prefix.deleteKey(key);
    for (const f of [SAC_LIBRARY, ...ENTERPRISE_FILES]) prefix.removeFile(f);
    for (const e of entries) {
      await prefix.addValue(e.key, 'DisplayName', e.name);
      await prefix.addValue(e.key, 'DisplayVersion', e.version);
      if (e.location) await prefix.addValue(e.key, 'InstallLocation', e.location);
    }
    for (const f of files) prefix.putFile(f);
  }

  async function cardSoftware(): Promise<JsonCheck> {
    const run = await prefix.wine([node, winePath(LAUNCHER), 'check', 'netid', '--format', 'json', '--lang', 'en', '--timeout', '20000']);
    expect(run.stdout, run.stderr).toMatch(/^\{/);
    return (JSON.parse(run.stdout) as { checks: JsonCheck[] }).checks.find((c) => c.id === 'card-software')!;
  }

  it('passes for the SITHS eID app 2.0.8481 with SAC, naming the version, the package and SAC\'s library', async () => {
    await machine(
      [
        { key: APP, name: 'SITHS eID for Windows', version: '2.0.8481.28506', location: 'C:\\Program Files\\SITHS eID\\' },
        { key: SAC, name: 'SafeNet Authentication Client 10.8', version: '10.8.1050.0' },
      ],
      [SAC_LIBRARY],
    );
    const check = await cardSoftware();
    expect(check.status).toBe('pass');
    expect(check.summary).toBe('SITHS cards: SITHS eID for Windows 2.0.8481.28506, package with SAC PKCS#11 with SafeNet Authentication Client (SAC) 10.8.1050.0.');
    expect(check.details).toMatchObject({ product: 'sac', pkcs11Library: 'C:\\windows\\System32\\eTPKCS11.dll' });
  }, 180_000);

  it("warns for an app older than 2.0, citing Inera's download page", async () => {
    await machine(
      [
        { key: APP, name: 'SITHS eID for Windows', version: '1.3.7412.19870' },
        { key: SAC, name: 'SafeNet Authentication Client 10.8', version: '10.8.28.0' },
      ],
      [SAC_LIBRARY],
    );
    const check = await cardSoftware();
    expect(check.status).toBe('warn');
    expect(check.summary).toContain('The SITHS eID app 1.3.7412.19870 is older than the version 2.0 Inera requires');
    expect(check.notes).toContainEqual(expect.stringMatching(/^At least version 2\.0 .* Source: https:\/\/inera\.atlassian\.net\//));
  }, 180_000);

  it('warns for Net iD Enterprise alone (unsupported within SITHS since 2023-06-30)', async () => {
    await machine([{ key: ENTERPRISE, name: 'Net iD Enterprise', version: '6.8.1.2', location: 'C:\\Program Files\\Net iD\\' }], ENTERPRISE_FILES);
    const check = await cardSoftware();
    expect(check.status).toBe('warn');
    expect(check.summary).toBe('Only Net iD Enterprise is there for the SITHS card.');
    expect(check.details).toMatchObject({ product: 'enterprise', version: '6.8.1.2', pkcs11Library: 'C:\\Program Files\\Net iD\\iidp11.dll' });
    expect(check.notes).toContainEqual(expect.stringContaining('2023-06-30'));
  }, 180_000);

  it('reads a minidriver registration (ATR, ATRMask, 80000001) that Wine\'s reg.exe added, and matches the card\'s ATR', async () => {
    const key = `${CALAIS}\\SafeNet IDPrime 840`;
    await prefix.addValue(key, 'ATR', '3B7F96000080318065B0850000EF120FFE829000', 'REG_BINARY');
    await prefix.addValue(key, 'ATRMask', 'FFFFFFFFFFFFFFFFFFFFFF00FFFFFFFFFFFFFFFF', 'REG_BINARY');
    await prefix.addValue(key, '80000001', 'eTPKCS15.dll');
    // Our dist/ code, in Windows node.exe, reading through the real reg.exe.
    const script = path.join(prefix.dir, 'read-smartcards.mjs');
    writeFileSync(
      script,
      `const { readSmartCards } = await import(${JSON.stringify('file:///' + winePath(SMARTCARDS_JS).replace(/\\/g, '/'))});\n` +
        `const { realExec } = await import(${JSON.stringify('file:///' + winePath(SMARTCARDS_JS.replace(/netid[\\/]smartcards\.js$/, 'system.js')).replace(/\\/g, '/'))});\n` +
        `const cards = await readSmartCards({ timeoutMs: 30000, signal: AbortSignal.timeout(60000), system: { env: process.env, exec: realExec } });\n` +
        `console.log(JSON.stringify(typeof cards === 'string' ? cards : cards.map((c) => ({ ...c, atr: c.atr.toString('hex'), mask: c.mask?.toString('hex') }))));\n`,
    );
    const run = await prefix.wine([node, winePath(script)]);
    const cards = JSON.parse(run.stdout || JSON.stringify(run.stderr)) as { name: string; atr: string; mask?: string; minidriver?: string }[];
    const card = cards.find((c) => c.name === 'SafeNet IDPrime 840');
    expect(card, run.stdout + run.stderr).toMatchObject({ atr: '3b7f96000080318065b0850000ef120ffe829000', mask: 'ffffffffffffffffffffff00ffffffffffffffff', minidriver: 'eTPKCS15.dll' });
    const known = { name: card!.name, atr: Buffer.from(card!.atr, 'hex'), mask: Buffer.from(card!.mask!, 'hex') };
    expect(atrMatches(atrBytes('3B 7F 96 00 00 80 31 80 65 B0 85 03 00 EF 12 0F FE 82 90 00')!, known)).toBe(true);
  }, 180_000);
});
