import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findKey, parseRegQuery, stringValue } from '../src/netid/reg-query.js';
import { NETID_FIXTURES } from './helpers/recorded.js';

const fixture = (...parts: string[]): string => readFileSync(path.join(NETID_FIXTURES, 'windows', ...parts)).toString('utf8');

describe('parseRegQuery', () => {
  it('reads headings and values of a recursive query, CRLF and all', () => {
    const keys = parseRegQuery(fixture('enterprise-en', 'secmaker-enterprise.txt'));
    expect(keys.map((k) => k.path)).toEqual([
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\SecMaker\\NetiD\\Enterprise',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\SecMaker\\NetiD\\Enterprise\\Install',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\SecMaker\\NetiD\\Enterprise\\Language',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\SecMaker\\NetiD\\Enterprise\\SmartCard',
    ]);
    const install = findKey(keys, 'HKLM\\software\\secmaker\\netid\\enterprise\\install\\');
    expect(install?.values).toEqual([
      { name: 'Build', type: 'REG_SZ', data: 'iidsetup_rgx101' },
      { name: 'Directory', type: 'REG_SZ', data: 'C:\\Program Files\\Net iD\\' },
      { name: 'Version', type: 'REG_SZ', data: '06080102' },
    ]);
    expect(findKey(keys, 'HKLM\\SOFTWARE\\SecMaker\\NetiD\\Enterprise\\SmartCard')?.values[0]).toEqual({ name: 'PinCache', type: 'REG_DWORD', data: '0x0' });
  });

  it('reads a Swedish Windows in code page 850 the same way, ignoring its messages', () => {
    const keys = parseRegQuery(fixture('client-sv', 'pointsharp-client.txt'));
    const install = findKey(keys, 'HKLM\\SOFTWARE\\Pointsharp\\NetiD\\Client\\Install');
    expect(stringValue(install, 'Directory')).toEqual({ kind: 'string', value: '%ProgramFiles%\\Net iD\\Client', expand: true });
    expect(stringValue(install, 'Special')).toEqual({ kind: 'string', value: '', expand: false });
    const search = parseRegQuery(fixture('client-sv', 'uninstall-search.txt'));
    expect(search).toHaveLength(1);
    expect(search[0]!.values).toEqual([{ name: 'DisplayName', type: 'REG_SZ', data: 'Net iD Client' }]);
    // The footer and the error messages are no keys, whatever their language or bytes.
    expect(parseRegQuery(fixture('common', 'no-match.sv.stdout.txt'))).toEqual([]);
    expect(parseRegQuery(fixture('common', 'missing-key.sv.stderr.txt'))).toEqual([]);
    expect(fixture('common', 'missing-key.sv.stderr.txt')).toContain('\uFFFD'); // "värdet" in CP850, read as UTF-8
  });

  it('keeps spaces inside value names and data, and tells types apart', () => {
    const out = [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Test Key',
      '    Display Name    REG_SZ    Net iD   Client  ',
      '    Empty    REG_SZ',
      '    EmptyWithSpaces    REG_SZ    ',
      '    Path    REG_EXPAND_SZ    %ProgramFiles%\\Net iD',
      '    Count    REG_DWORD    0x1f',
      '    Blob    REG_BINARY    0102FF',
      '    List    REG_MULTI_SZ    a\\0b',
      '',
    ].join('\r\n');
    const [key] = parseRegQuery(out);
    expect(key!.values.map((v) => [v.name, v.type, v.data])).toEqual([
      ['Display Name', 'REG_SZ', 'Net iD   Client  '],
      ['Empty', 'REG_SZ', ''],
      ['EmptyWithSpaces', 'REG_SZ', ''],
      ['Path', 'REG_EXPAND_SZ', '%ProgramFiles%\\Net iD'],
      ['Count', 'REG_DWORD', '0x1f'],
      ['Blob', 'REG_BINARY', '0102FF'],
      ['List', 'REG_MULTI_SZ', 'a\\0b'],
    ]);
    expect(stringValue(key, 'display name')).toEqual({ kind: 'string', value: 'Net iD   Client', expand: false });
    expect(stringValue(key, 'Count')).toEqual({ kind: 'wrong-type', type: 'REG_DWORD' });
    expect(stringValue(key, 'Missing')).toEqual({ kind: 'absent' });
  });

  it('ignores value lines before any heading, and lines that are not values', () => {
    const out = '    Stray    REG_SZ    x\nnot a heading\nHKEY_CURRENT_USER\\X\n\tTabbed\tREG_SZ\tx\n    Good    REG_SZ    y\n';
    const keys = parseRegQuery(out);
    expect(keys).toEqual([{ path: 'HKEY_CURRENT_USER\\X', values: [{ name: 'Good', type: 'REG_SZ', data: 'y' }] }]);
  });

  it('stays bounded on hostile output: huge lines skipped, key count capped', () => {
    const hugeLine = 'HKEY_LOCAL_MACHINE\\' + 'A'.repeat(100_000);
    expect(parseRegQuery(`${hugeLine}\n    V    REG_SZ    x\n`)).toEqual([]);
    const many = Array.from({ length: 5000 }, (_, i) => `HKEY_LOCAL_MACHINE\\K${i}`).join('\n');
    expect(parseRegQuery(many).length).toBe(2000);
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const keys = parseRegQuery(text);
        for (const k of keys) expect(k.path.startsWith('HKEY_')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
