import { personal } from '../personal.js';
import type { CardChannel, Pcsc } from '../pcsc/types.js';
import { ReadOnlyCard } from './apdu.js';
import { isPcscError } from '../pcsc/errors.js';
import { formatAtr } from './atr.js';
import { CardReadError, fromPcscFailure, isCardReadError } from './errors.js';
import { SW_NO_CURRENT_EF } from './iso7816.js';
import { parseCertificateDirectory, parseOdf, parseTokenInfo, type Pkcs15Path, type TokenInfo } from './pkcs15.js';
import { Pkcs15Reader } from './pkcs15-reader.js';
import type { CardCertificate, CardCertificateRead } from './types.js';

export interface ReadCardCertificatesOptions {
  /** Time limit for each exchange with the card (one command APDU). */
  readonly timeoutMs: number;
  /** Stops the read between exchanges (and the exchange in flight). */
  readonly signal?: AbortSignal;
}

const EF_ODF: Pkcs15Path = { path: Buffer.from([0x50, 0x31]) };
const EF_TOKEN_INFO: Pkcs15Path = { path: Buffer.from([0x50, 0x32]) };
/** Directory files to follow; real cards have one to three. */
const MAX_DIRECTORIES = 8;

/**
 * Read every certificate a PKCS#15 (ISO/IEC 7816-15) card shows without a
 * PIN: find the application (EF.DIR, else by its AID), read EF.ODF and
 * EF.TokenInfo, follow the ODF to the certificate directories (own, trusted
 * and useful certificates) and read each certificate file.
 *
 * Sends only SELECT, READ BINARY and GET RESPONSE (src/card/apdu.ts), each
 * exchange within `timeoutMs`. Rejects with CardReadError: `layout-not-supported`
 * (no PKCS#15 application; the error carries the ATR), `card-removed`,
 * `timeout`, `cancelled`, `malformed`, `card-error` or `service`.
 */
export async function readCardCertificates(channel: CardChannel, options: ReadCardCertificatesOptions): Promise<CardCertificateRead> {
  const card = new ReadOnlyCard(channel, options);
  const reader = new Pkcs15Reader(card);
  const app = await reader.findApplication();
  const directories = parseOdf(await reader.readFile(app, EF_ODF, 'EF.ODF'), card.atr);
  if (directories.length > MAX_DIRECTORIES) throw new CardReadError('malformed', `EF.ODF lists ${directories.length} certificate directories`, card.atr);
  const tokenInfo = await reader.readOptional(() => reader.readFile(app, EF_TOKEN_INFO, 'EF.TokenInfo').then((bytes) => parseTokenInfo(bytes, card.atr)));

  const certificates: CardCertificate[] = [];
  for (const directory of directories) {
    const objects = parseCertificateDirectory(await reader.readFile(app, directory.path, `the ${directory.source} directory`), directory.source, card.atr);
    for (const object of objects) certificates.push(await reader.readCertificate(app, object));
  }
  return {
    reader: channel.reader,
    atr: card.atr,
    ...(tokenInfo ? { tokenInfo: shownTokenInfo(tokenInfo) } : {}),
    certificates,
    apduCount: card.apduCount,
  };
}

/**
 * Connect to the card in `reader`, read its certificates inside a PC/SC
 * transaction, disconnect. PC/SC failures while connecting reject with
 * PcscError (no card, mute card, card held exclusively, service gone); the
 * read itself rejects with CardReadError (`card-busy` when another program
 * kept the card).
 */
export async function readCardCertificatesFromReader(pcsc: Pcsc, reader: string, options: ReadCardCertificatesOptions): Promise<CardCertificateRead> {
  const context = await pcsc.establish(options);
  try {
    const channel = await context.connect(reader, options).catch(async (err: unknown) => {
      throw await busyOrAsIs(err, pcsc, reader, options);
    });
    try {
      return await readInTransaction(channel, options);
    } finally {
      await channel.disconnect();
    }
  } finally {
    await context.release();
  }
}

/**
 * The read, atomic: without a transaction another program (Net iD, OpenSC)
 * can SELECT other files between our SELECT and READ BINARY and we read the
 * wrong bytes. SCardBeginTransaction waits while another program holds the
 * card, within the time limit. A card another program reset mid-read
 * (SCARD_W_RESET_CARD) is reconnected and read again from the start, once.
 */
async function readInTransaction(channel: CardChannel, options: ReadCardCertificatesOptions): Promise<CardCertificateRead> {
  for (let attempt = 1; ; attempt++) {
    try {
      await channel.beginTransaction?.(options);
    } catch (err) {
      if (isPcscError(err, 'reset-card') && attempt === 1) {
        await reconnect(channel, options);
        continue;
      }
      if (isPcscError(err, 'timeout')) throw new CardReadError('card-busy', `SCardBeginTransaction: another program held the card longer than the time limit (${err.message})`, formatAtr(channel.atr));
      throw isPcscError(err, 'reset-card') ? fromPcscFailure(err, formatAtr(channel.atr)) : err;
    }
    try {
      return await readCardCertificates(channel, options);
    } catch (err) {
      if (!(attempt === 1 && (isCardReadError(err, 'card-busy') || lostSelection(err)))) throw err;
    } finally {
      await channel.endTransaction?.();
    }
    await reconnect(channel, options);
  }
}

/**
 * SW 6986 ("no current EF") from a READ BINARY after our SELECT answered: the
 * selection is gone, as when another program selected a file or reset the card
 * without PC/SC telling us (seen under load with OpenSC on the same card). Read
 * again once; a card that keeps refusing is reported as the card error it is.
 */
function lostSelection(err: unknown): boolean {
  return isCardReadError(err, 'card-error') && err.sw === SW_NO_CURRENT_EF;
}

/**
 * pcsc-lite's SCardConnect waits, like SCardBeginTransaction, while another
 * program holds a transaction on the card. When it ran out of time and the
 * service says the card is in use, that is the answer; a service that does
 * not answer at all keeps the time-out.
 */
async function busyOrAsIs(err: unknown, pcsc: Pcsc, reader: string, options: ReadCardCertificatesOptions): Promise<unknown> {
  if (!isPcscError(err, 'timeout')) return err;
  try {
    const context = await pcsc.establish(options);
    try {
      const state = (await context.listReaders(options)).find((r) => r.name === reader);
      if (state?.inUse) return new CardReadError('card-busy', `SCardConnect: another program held the card longer than the time limit (${err.message})`, formatAtr(state.atr));
    } finally {
      await context.release();
    }
  } catch {
    // The service itself is stuck: the time-out says so.
  }
  return err;
}

async function reconnect(channel: CardChannel, options: ReadCardCertificatesOptions): Promise<void> {
  try {
    await channel.reconnect?.(options);
  } catch (err) {
    throw fromPcscFailure(err, formatAtr(channel.atr));
  }
}

/** The card serial number is personal data (it identifies the card holder's card). */
function shownTokenInfo(info: TokenInfo): NonNullable<CardCertificateRead['tokenInfo']> {
  return {
    ...(info.serialNumber ? { serialNumber: personal(info.serialNumber, 'card-serial') } : {}),
    ...(info.manufacturer ? { manufacturer: info.manufacturer } : {}),
    ...(info.label ? { label: info.label } : {}),
  };
}
