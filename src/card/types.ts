/**
 * What the card probes hand each other. The `card` probe reports
 * `details.cards` in this shape; `card-cert` reads certificates from those
 * cards and `netid-token` compares them with what the middleware sees.
 */
import type { AtrProblem } from './atr.js';
import type { CardFamily } from './atr-table.js';

/** One card the PC/SC service reported. */
export interface CardSeen {
  /** The reader's name exactly as the PC/SC service gives it (connect with this). */
  readonly reader: string;
  /** The ATR as upper-case hex bytes separated by spaces, "3B 7D 96 ...". Empty when the card gave none. */
  readonly atr: string;
  /** What the ATR table says it is ("Thales IDPrime 940"), or undefined for an unknown card. */
  readonly cardType?: string;
  /** For a card our table does not know: what pcsc-tools' smartcard_list.txt calls its ATR, when the machine has the list. */
  readonly looksLike?: string;
  /** present: answers; mute: in the reader but does not answer / cannot be powered. */
  readonly state: 'present' | 'mute';
  /** The card family from the ATR table (src/card/atr-table.ts), when known. */
  readonly family?: CardFamily;
  /** What is wrong with the ATR itself, when something is (src/card/atr.ts). */
  readonly atrProblem?: AtrProblem;
  /** The protocol the card was reached with when it was checked ("T=1"). */
  readonly protocol?: string;
  /** Another program holds the card exclusively, so it could not be checked further. */
  readonly inUse?: boolean;
}

export interface CardProbeDetails {
  readonly cards: readonly CardSeen[];
}

/**
 * What the `card` check hands `card-cert` beyond its documented details: for
 * each reader whose card another program held (a transaction) longer than
 * the time limit, what PC/SC said, so card-cert does not wait for it again.
 */
export interface CardHandover {
  readonly busy: ReadonlyMap<string, string>;
}

/** A certificate object found on a PKCS#15 / ISO 7816-15 card, read without a PIN. */
export interface CardCertificate {
  readonly label: string;
  /** The object's iD, hex. Pairs a certificate with its private key. */
  readonly id: string;
  readonly authority: boolean;
  /** The file path it was read from, hex ("3F0050154331"), with index/length when given. */
  readonly path: string;
  /** Which directory listed it: CDF (own), trusted or useful certificates. */
  readonly source: 'certificates' | 'trusted' | 'useful';
  readonly der: Buffer;
}

export interface CardCertificateRead {
  readonly reader: string;
  readonly atr: string;
  readonly tokenInfo?: {
    readonly serialNumber?: string;
    readonly manufacturer?: string;
    readonly label?: string;
  };
  readonly certificates: readonly CardCertificate[];
  /** How many command APDUs the read took (for the bench and --verbose). */
  readonly apduCount: number;
}
