import { describe, expect, it } from 'vitest';
import { langFromEnv, msg, pickAll } from '../src/i18n/index.js';
import { preScanLang } from '../src/cli/common.js';

describe('language', () => {
  it('follows the POSIX order LC_ALL, LC_MESSAGES, LANG', () => {
    expect(langFromEnv({ LANG: 'sv_SE.UTF-8' })).toBe('sv');
    expect(langFromEnv({ LC_ALL: 'en_US.UTF-8', LANG: 'sv_SE.UTF-8' })).toBe('en');
    expect(langFromEnv({ LC_MESSAGES: 'sv_FI', LANG: 'en_GB' })).toBe('sv');
    expect(langFromEnv({ LC_ALL: '', LANG: 'sv' })).toBe('sv');
    expect(langFromEnv({ LANG: 'sv_SE@euro' })).toBe('sv');
  });

  it('treats C, POSIX and other languages as English', () => {
    expect(langFromEnv({ LANG: 'C' })).toBe('en');
    expect(langFromEnv({ LANG: 'POSIX' })).toBe('en');
    expect(langFromEnv({ LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(langFromEnv({ LANG: 'svenska' })).toBe('en');
  });

  it('falls back to the runtime locale when no variable is set (Windows)', () => {
    expect(langFromEnv({}, 'sv-SE')).toBe('sv');
    expect(langFromEnv({}, 'en-US')).toBe('en');
    expect(langFromEnv({})).toBe('en');
  });

  it('lets --lang win over the environment', () => {
    expect(preScanLang(['--lang', 'en'], { LANG: 'sv_SE.UTF-8' })).toBe('en');
    expect(preScanLang(['check', '--lang=sv'], { LANG: 'C' })).toBe('sv');
    expect(preScanLang(['--', '--lang=sv'], { LANG: 'C' })).toBe('en');
  });
});

describe('a table of msg pairs', () => {
  it('comes out whole in one language, key by key', () => {
    const table = { yes: msg('ja', 'yes'), no: msg('nej', 'no') };
    expect(pickAll(table, 'sv')).toEqual({ yes: 'ja', no: 'nej' });
    expect(pickAll(table, 'en')).toEqual({ yes: 'yes', no: 'no' });
    // The keys stay checked: a key the table lacks is a type error.
    // @ts-expect-error 'maybe' is not in the table
    expect(pickAll(table, 'en').maybe).toBeUndefined();
  });
});
