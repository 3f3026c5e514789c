import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBinaryPlist, parseXmlPlist, plistString, PlistError } from '../src/netid/plist.js';
import { NETID_FIXTURES } from './helpers/recorded.js';

const plist = (name: string): Buffer => readFileSync(path.join(NETID_FIXTURES, 'macos', name, 'Info.plist'));

describe('parseXmlPlist', () => {
  it('reads an app bundle Info.plist: strings, arrays, booleans, entities', () => {
    const root = parseXmlPlist(plist('net-id-enterprise'));
    expect(plistString(root, 'CFBundleShortVersionString')).toBe('6.8.1.2');
    expect(plistString(root, 'CFBundleName')).toBe('Net iD Enterprise');
    expect(plistString(root, 'NSHumanReadableCopyright')).toBe('Copyright © 2025 TEST & Example AB. Not a real product.');
    expect((root as Record<string, unknown>).LSUIElement).toBe(true);
    expect((root as Record<string, unknown>).CFBundleSupportedPlatforms).toEqual(['MacOSX']);
  });

  it('reads nested dicts and arrays, empty dicts, integers, CDATA and character references', () => {
    const parsed = parseXmlPlist(plist('net-id-client'));
    expect(plistString(parsed, 'CFBundleShortVersionString')).toBeUndefined();
    expect(plistString(parsed, 'CFBundleVersion')).toBe('1.4.1.2');
    const root = parsed as Record<string, unknown>;
    expect(root.CFBundleDocumentTypes).toEqual([{ CFBundleTypeExtensions: ['cer', 'crt'], CFBundleTypeRole: 'Viewer' }]);
    expect(root.NSAppTransportSecurity).toEqual({});
    expect(root.TestBuildNumber).toBe(1702);
    expect(root.TestNotes).toBe('Kort & läsare <SITHS> ✓');
  });

  it('rejects a cut-off file with a message naming the line', () => {
    expect(() => parseXmlPlist(plist('broken'))).toThrow(PlistError);
    expect(() => parseXmlPlist(plist('broken'))).toThrow(/line \d+/);
  });

  it('refuses a DOCTYPE with an internal subset instead of expanding entities', () => {
    expect(() => parseXmlPlist(plist('doctype-subset'))).toThrow(/internal subset/);
  });

  it('tells a binary plist from an XML one', () => {
    expect(isBinaryPlist(plist('binary'))).toBe(true);
    expect(isBinaryPlist(plist('net-id-enterprise'))).toBe(false);
  });

  it('bounds depth, size and unknown entities', () => {
    const deep = '<plist>' + '<array>'.repeat(100) + '</array>'.repeat(100) + '</plist>';
    expect(() => parseXmlPlist(deep)).toThrow(/nested too deeply/);
    expect(() => parseXmlPlist('<plist><string>' + 'x'.repeat(2 * 1024 * 1024) + '</string></plist>')).toThrow(/larger than/);
    expect(() => parseXmlPlist('<plist><string>&nbsp;</string></plist>')).toThrow(/character reference/);
    expect(() => parseXmlPlist('<plist><string>&#xD800;</string></plist>')).toThrow(/character reference/);
    expect(() => parseXmlPlist('<plist><integer>12abc</integer></plist>')).toThrow(/not a number/);
    expect(() => parseXmlPlist('<plist><dict><string>no key</string></dict></plist>')).toThrow(/expected <key>/);
    expect(() => parseXmlPlist('<plist><dict/></plist><plist/>')).toThrow(/after <\/plist>/);
  });

  it('keeps "__proto__" as an ordinary key', () => {
    const root = parseXmlPlist('<plist><dict><key>__proto__</key><string>x</string></dict></plist>') as Record<string, unknown>;
    expect(Object.getPrototypeOf(root)).toBeNull();
    expect(root['__proto__']).toBe('x');
  });

  it('either parses or throws PlistError, never anything else', () => {
    const pieces = fc.constantFrom('<plist>', '</plist>', '<dict>', '</dict>', '<key>', '</key>', '<string>', '</string>', '<array>', '</array>', '<true/>', 'x', '&amp;', '&', '<', '<!--', '-->', '<![CDATA[', ']]>');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        try {
          parseXmlPlist(parts.join(''));
        } catch (err) {
          expect(err).toBeInstanceOf(PlistError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
