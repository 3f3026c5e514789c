import { describe, expect, it } from 'vitest';
import { loadKoffi } from '../../src/native/koffi.js';
import { platformAbi, splitMultiString } from '../../src/pcsc/winscard.js';

describe('the PC/SC ABI per platform', () => {
  // koffi lays the C structures out as a C compiler would: our hand-made offsets must agree.
  it('SCARD_READERSTATE offsets and sizes match the C layout of pcsc-lite, winscard (W) and Apple’s packed PCSC.framework', () => {
    const koffi = loadKoffi();
    const layouts = {
      linux: koffi.struct({ szReader: 'void *', pvUserData: 'void *', dwCurrentState: 'unsigned long', dwEventState: 'unsigned long', cbAtr: 'unsigned long', rgbAtr: koffi.array('uint8', 33) }),
      win32: koffi.struct({ szReader: 'void *', pvUserData: 'void *', dwCurrentState: 'uint32', dwEventState: 'uint32', cbAtr: 'uint32', rgbAtr: koffi.array('uint8', 36) }),
      darwin: koffi.pack({ szReader: 'void *', pvUserData: 'void *', dwCurrentState: 'uint32', dwEventState: 'uint32', cbAtr: 'uint32', rgbAtr: koffi.array('uint8', 33) }),
    };
    for (const [platform, type] of Object.entries(layouts)) {
      const abi = platformAbi(platform as NodeJS.Platform);
      expect({ platform, ...abi.state }).toEqual({
        platform,
        size: koffi.sizeof(type),
        current: koffi.offsetof(type, 'dwCurrentState'),
        event: koffi.offsetof(type, 'dwEventState'),
        atrLength: koffi.offsetof(type, 'cbAtr'),
        atr: koffi.offsetof(type, 'rgbAtr'),
        atrMax: platform === 'win32' ? 36 : 33,
      });
    }
    expect(platformAbi('linux')).toMatchObject({ dword: 8, handle: 8, wide: false });
    expect(platformAbi('win32')).toMatchObject({ dword: 4, handle: 8, wide: true });
    expect(platformAbi('darwin')).toMatchObject({ dword: 4, handle: 4, wide: false });
  });
});

describe('reader names from the PC/SC library', () => {
  it('splits a multi-string and keeps each raw name, NUL-terminated, for connecting', () => {
    const names = splitMultiString(Buffer.from('Reader A\0Läsare B\0\0', 'utf8'), false);
    expect(names.map((n) => n.name)).toEqual(['Reader A', 'Läsare B']);
    expect(names[1]!.raw).toEqual(Buffer.from('Läsare B\0', 'utf8'));
  });

  it('shows a name that is not valid UTF-8 with replacement characters, and keeps its bytes', () => {
    const bad = Buffer.concat([Buffer.from('Reader '), Buffer.from([0xff, 0xc3]), Buffer.from(' 00\0\0')]);
    const [name] = splitMultiString(bad, false);
    expect(name!.name).toBe('Reader \uFFFD\uFFFD 00');
    expect(name!.raw).toEqual(bad.subarray(0, bad.length - 1));
  });

  it('reads UTF-16 names (Windows), a lone surrogate replaced', () => {
    const wide = Buffer.concat([Buffer.from('Läsare ', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('\0Two\0\0', 'utf16le')]);
    const names = splitMultiString(wide, true);
    expect(names.map((n) => n.name)).toEqual(['Läsare \uFFFD', 'Two']);
    expect(names[0]!.raw.subarray(-2)).toEqual(Buffer.from([0, 0]));
  });

  it('gives no names for an empty list', () => {
    expect(splitMultiString(Buffer.from([0, 0]), false)).toEqual([]);
    expect(splitMultiString(Buffer.alloc(0), true)).toEqual([]);
  });
});
