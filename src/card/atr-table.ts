import { parseAtrHex } from './atr.js';

/**
 * What chip an ATR says a card has. An ATR names the chip and its operating
 * system, not the card: OpenSC's IDPrime masks also match Swedish national ID
 * cards, the Skatteverket ID card, Swedish MCA cards and plain IDCore
 * JavaCards (see smartcard_list.txt). OpenSC treats a mask match only as a
 * candidate; likewise here, whether a card is a SITHS or Efos card is decided
 * by its certificates (card-cert), never by this table.
 */
export type CardFamily =
  /** Thales (Gemalto) IDPrime chip: SITHS e-id and Efos cards, but also ID cards and others. */
  | 'idprime'
  /** Telia EID cards: older SITHS cards and Telia e-legitimation. */
  | 'telia'
  /** Other Gemalto PKI cards with a PKCS#15 layout. */
  | 'gemalto-pki'
  /** A bank card (BankID on card), not a SITHS card. */
  | 'bank';

export interface KnownAtr {
  /** Upper-case hex bytes separated by spaces. */
  readonly atr: string;
  /** Same length as `atr`; FF bytes must match, 00 bytes are free (as in OpenSC's ATR tables). */
  readonly mask?: string;
  readonly name: string;
  readonly family: CardFamily;
  /** Where the ATR comes from. */
  readonly source: string;
}

const OPENSC_IDPRIME = 'OpenSC src/libopensc/card-idprime.c (idprime_atrs)';
const SMARTCARD_LIST = 'pcsc-tools smartcard_list.txt (Ludovic Rousseau)';
const STD_MASK = 'FF FF 00 FF FF FF FF FF FF FF FF FF FF FF FF 00 00 FF FF FF';
const SMARTCARD_LIST_930_T1 =
  'pcsc-tools smartcard_list.txt: "IDPrime 930 FIPS Level 2 (T=1 CT=96)", "IDPrime 930 FIPS Level 3 (T=1 CT=94)", "IDPrime 3930 FIPS Level 3 (T=1 CT=97)"';
const SMARTCARD_LIST_CONTACTLESS =
  'pcsc-tools smartcard_list.txt: "3B 8F 80 01 80 31 80 65 B0 .. .. .. .. 12 0F FE 82 90 00 .. IDPrime MD 3810 T=Contactless", "IDPrime 3930 FIPS Level 2 (Contactless TypeA)"';

/**
 * Known ATRs, most specific first: the first match wins. IDPrime entries
 * carry OpenSC's masks (the bytes they free are chip and applet revisions).
 */
export const KNOWN_ATRS: readonly KnownAtr[] = [
  { atr: '3B 7D 96 00 00 80 31 80 65 B0 A3 11 01 F3 83 00 90 00', name: 'Telia EID IP5a', family: 'telia', source: 'siths-doctor issue 3 (the old Telia EID IP5a SITHS card)' },
  { atr: '3B 7D 96 00 00 80 31 80 65 B0 A3 11 00 C8 83 00 90 00', name: 'Telia EID IP5a', family: 'telia', source: SMARTCARD_LIST },
  { atr: '3B 7D 96 00 00 80 31 80 65 B0 A3 11 00 C8 83 00 00 00', name: 'Handelsbanken BankID', family: 'bank', source: SMARTCARD_LIST },
  { atr: '3B 7F 96 00 00 80 31 80 65 B0 84 41 3D F6 12 0F FE 82 90 00', mask: STD_MASK, name: 'Thales IDPrime 3810', family: 'idprime', source: OPENSC_IDPRIME },
  { atr: '3B 7F 96 00 00 80 31 80 65 B0 84 56 51 10 12 0F FE 82 90 00', mask: STD_MASK, name: 'Thales IDPrime 830', family: 'idprime', source: OPENSC_IDPRIME },
  { atr: '3B 7F 96 00 00 80 31 80 65 B0 84 61 60 FB 12 0F FE 82 90 00', mask: STD_MASK, name: 'Thales IDPrime 930/3930', family: 'idprime', source: OPENSC_IDPRIME },
  {
    atr: '3B FF 96 00 00 81 31 FE 43 80 31 80 65 B0 84 65 66 FB 12 01 78 82 90 00 85',
    mask: 'FF FF 00 FF FF FF FF 00 FF FF FF FF FF FF FF 00 00 00 FF FF FF FF FF FF 00',
    name: 'Thales IDPrime 930 (eToken 5110+ FIPS)',
    family: 'idprime',
    source: OPENSC_IDPRIME,
  },
  { atr: '3B 7F 96 00 00 80 31 80 65 B0 85 03 00 EF 12 0F FE 82 90 00', mask: STD_MASK, name: 'Thales IDPrime 840', family: 'idprime', source: OPENSC_IDPRIME },
  {
    atr: '3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00',
    mask: 'FF FF 00 FF FF FF FF FF FF FF FF 00 00 00 FF 00 00 FF FF FF',
    name: 'Thales IDPrime 940',
    family: 'idprime',
    source: OPENSC_IDPRIME,
  },
  { atr: '3B 7F 96 00 00 80 31 80 65 B0 85 05 00 39 12 0F FE 82 90 00', mask: STD_MASK, name: 'Thales IDPrime 940C', family: 'idprime', source: OPENSC_IDPRIME },
  // Before the MD 940 (eToken 5110) mask below, which frees the chip bytes and so also matched these.
  {
    atr: '3B FF 96 00 00 81 31 FE 43 80 31 80 65 B0 84 61 60 FB 12 0F FD 82 90 00 0C',
    mask: 'FF FF 00 FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF 00 00 FF FF FF 00',
    name: 'Thales IDPrime 930/3930',
    family: 'idprime',
    source: SMARTCARD_LIST_930_T1,
  },
  {
    atr: '3B FF 96 00 00 81 31 FE 43 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00 00',
    mask: 'FF FF 00 FF FF FF FF FF FF FF FF FF FF FF 00 00 00 00 FF F0 00 FF FF FF 00',
    name: 'Thales IDPrime MD 940 (eToken 5110)',
    family: 'idprime',
    source: OPENSC_IDPRIME,
  },
  {
    atr: '3B 7F 96 00 00 80 31 80 65 B0 84 41 3D F6 12 0F FE 82 90 00',
    mask: 'FF FF 00 FF FF FF FF FF FF FF 00 00 00 00 FF 00 00 FF FF FF',
    name: 'Thales IDPrime MD 8840/3840/3810/840/830/940',
    family: 'idprime',
    source: OPENSC_IDPRIME,
  },
  {
    atr: '3B FF 96 00 00 81 31 80 43 80 31 80 65 B0 85 03 00 EF 12 0F FE 82 90 00 66',
    mask: 'FF FF 00 FF FF FF FF 00 FF FF FF FF FF FF 00 00 00 00 FF FF FF FF FF FF 00',
    name: 'Thales IDPrime MD (eToken)',
    family: 'idprime',
    source: OPENSC_IDPRIME,
  },
  {
    atr: '3B 8F 80 01 80 31 80 65 B0 84 41 3D F6 12 0F FE 82 90 00 00',
    mask: 'FF FF FF FF FF FF FF FF FF 00 00 00 00 FF FF 00 FF FF FF 00',
    name: 'Thales IDPrime (contactless)',
    family: 'idprime',
    source: SMARTCARD_LIST_CONTACTLESS,
  },
  { atr: '3B 16 96 41 73 74 72 69 64', name: 'Gemalto IDPrime .NET', family: 'idprime', source: SMARTCARD_LIST },
  { atr: '3B 7D 96 00 00 80 31 80 65 B0 93 11 D0 A9 83 00 90 00', name: 'Gemalto Classic TPC IM (PKCS#15)', family: 'gemalto-pki', source: SMARTCARD_LIST },
  { atr: '3B 7D 96 00 00 80 31 80 65 B0 83 11 D0 A9 83 00 90 00', name: 'Gemalto GemSafe V2 (TOP IM GX4)', family: 'gemalto-pki', source: SMARTCARD_LIST },
  { atr: '3B 7D 96 00 00 80 31 80 65 B0 83 11 48 C8 83 00 90 00', name: 'Gemalto GemSafe V1', family: 'gemalto-pki', source: SMARTCARD_LIST },
];

interface CompiledAtr {
  readonly entry: KnownAtr;
  readonly value: Buffer;
  readonly mask: Buffer;
}

function compile(entry: KnownAtr): CompiledAtr {
  const value = parseAtrHex(entry.atr);
  const mask = entry.mask ? parseAtrHex(entry.mask) : Buffer.alloc(value?.length ?? 0, 0xff);
  if (!value || !mask || mask.length !== value.length) throw new Error(`bad ATR table entry: ${entry.atr}`);
  return { entry, value, mask };
}

const COMPILED = KNOWN_ATRS.map(compile);

/** The known card this ATR belongs to, or undefined. */
export function identifyAtr(atr: Uint8Array): KnownAtr | undefined {
  const bytes = Buffer.from(atr);
  return COMPILED.find((c) => c.value.length === bytes.length && c.value.every((b, i) => (b & c.mask[i]!) === (bytes[i]! & c.mask[i]!)))?.entry;
}

