import { personal } from '../personal.js';
import type { CardChannel, Pcsc } from '../pcsc/types.js';
import { ReadOnlyCard } from './apdu.js';
import { derElementLength } from './der.js';
import { CardReadError, isCardReadError } from './errors.js';
import { readBinary, selectFile, type FileInfo, type FileRef } from './iso7816.js';
import { parseCertificateDirectory, parseEfDir, parseOdf, parseTokenInfo, PKCS15_AID, type CertificateObject, type Pkcs15Path, type TokenInfo } from './pkcs15.js';
import type { CardCertificate, CardCertificateRead } from './types.js';

export interface ReadCardCertificatesOptions {
  /** Time limit for each exchange with the card (one command APDU). */
  readonly timeoutMs: number;
  /** Stops the read between exchanges (and the exchange in flight). */
  readonly signal?: AbortSignal;
}

const MF = Buffer.from([0x3f, 0x00]);
const EF_DIR = Buffer.from([0x3f, 0x00, 0x2f, 0x00]);
const EF_ODF: Pkcs15Path = { path: Buffer.from([0x50, 0x31]) };
const EF_TOKEN_INFO: Pkcs15Path = { path: Buffer.from([0x50, 0x32]) };
/** Directory files to follow; real cards have one to three. */
const MAX_DIRECTORIES = 8;

interface Application {
  /** Absolute path of the application DF, when EF.DIR gives it. */
  readonly path?: Buffer;
}

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
 * Connect to the card in `reader`, read its certificates, disconnect. PC/SC
 * failures while connecting reject with PcscError (no card, mute card, card
 * held exclusively, service gone); the read itself rejects with CardReadError.
 */
export async function readCardCertificatesFromReader(pcsc: Pcsc, reader: string, options: ReadCardCertificatesOptions): Promise<CardCertificateRead> {
  const context = await pcsc.establish(options);
  try {
    const channel = await context.connect(reader, options);
    try {
      return await readCardCertificates(channel, options);
    } finally {
      await channel.disconnect();
    }
  } finally {
    await context.release();
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

class Pkcs15Reader {
  /** Whether the application DF is the current DF, so relative file ids resolve in it. */
  private inApplication = false;
  /** The elementary file selected last by absolute path, and what its FCI said. */
  private selected: { key: string; info: FileInfo } | undefined;

  constructor(private readonly card: ReadOnlyCard) {}

  async findApplication(): Promise<Application> {
    const fromDir = await this.readOptional(() => this.applicationFromEfDir());
    if (fromDir?.path) {
      const info = await this.select({ by: 'path', path: fromDir.path });
      if (info?.isDf) {
        this.inApplication = true;
        return fromDir;
      }
    }
    const info = await this.select({ by: 'aid', aid: PKCS15_AID });
    if (!info) throw new CardReadError('layout-not-supported', 'the card has no PKCS#15 application (no EF.DIR entry, and its AID cannot be selected)', this.card.atr);
    this.inApplication = true;
    return {};
  }

  private async applicationFromEfDir(): Promise<Application | undefined> {
    const info = await this.select({ by: 'path', path: EF_DIR });
    if (!info || info.isDf || !info.transparent) return undefined;
    const app = parseEfDir(await readBinary(this.card, info.size === undefined ? {} : { length: info.size }), this.card.atr).find((a) => a.aid?.equals(PKCS15_AID));
    if (!app) return undefined;
    const path = app.path && app.path.length >= 2 && app.path.length % 2 === 0 && app.path.length <= 16 ? app.path : undefined;
    if (!path) return {};
    return { path: path.subarray(0, 2).equals(MF) ? path : Buffer.concat([MF, path]) };
  }

  /** A PKCS#15 path: absolute when it starts with 3F00, otherwise relative to the application. */
  private async locate(app: Application, path: Buffer): Promise<FileRef> {
    if (path.subarray(0, 2).equals(MF)) return { by: 'path', path };
    if (app.path) return { by: 'path', path: Buffer.concat([app.path, path]) };
    if (!this.inApplication) {
      if (!(await this.select({ by: 'aid', aid: PKCS15_AID }))) throw new CardReadError('card-error', 'the PKCS#15 application can no longer be selected', this.card.atr);
      this.inApplication = true;
    }
    return { by: 'relative', path };
  }

  private async select(ref: FileRef): Promise<FileInfo | undefined> {
    // Several certificates often share one file (found by index and length): select it once.
    const key = ref.by === 'path' ? ref.path.toString('hex') : undefined;
    if (key !== undefined && this.selected?.key === key) return this.selected.info;
    const info = await selectFile(this.card, ref);
    this.selected = key !== undefined && info && !info.isDf ? { key, info } : undefined;
    // Only a file id looked up inside the application leaves the application current.
    if (!(ref.by === 'relative' && ref.path.length === 2 && info && !info.isDf)) this.inApplication = ref.by === 'aid' && info !== undefined;
    return info;
  }

  async readFile(app: Application, where: Pkcs15Path, what: string): Promise<Buffer> {
    const ref = await this.locate(app, where.path);
    const info = await this.select(ref);
    const hex = where.path.toString('hex').toUpperCase();
    if (!info) throw new CardReadError('malformed', `${what} (file ${hex}) is not on the card`, this.card.atr);
    if (info.isDf || !info.transparent) throw new CardReadError('malformed', `${what} (file ${hex}) is not a transparent file`, this.card.atr);
    const offset = where.index ?? 0;
    if (where.length !== undefined) return readBinary(this.card, { offset, length: where.length });
    if (info.size !== undefined) {
      if (offset > info.size) throw new CardReadError('malformed', `${what}: index ${offset} is past the end of file ${hex}`, this.card.atr);
      return readBinary(this.card, { offset, length: info.size - offset });
    }
    return readBinary(this.card, { offset });
  }

  async readCertificate(app: Application, object: CertificateObject): Promise<CardCertificate> {
    const base = { label: object.label, id: object.id, authority: object.authority, source: object.source };
    if (object.direct) return { ...base, path: '', der: object.direct };
    const where = object.path!;
    const bytes = await this.readFile(app, where, `certificate ${object.id}`);
    // A certificate file is often bigger than the certificate: keep the DER element, drop the padding.
    const length = bytes[0] === 0x30 ? derElementLength(bytes) : undefined;
    if (length === undefined) throw new CardReadError('malformed', `certificate ${object.id} is not a complete DER certificate`, this.card.atr);
    return { ...base, path: describePath(app, where), der: Buffer.from(bytes.subarray(0, length)) };
  }

  /** Something a card may lack (EF.DIR, EF.TokenInfo): a missing or unreadable one is no failure; a lost card still is. */
  async readOptional<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (err) {
      if (isCardReadError(err, 'malformed') || isCardReadError(err, 'card-error')) return undefined;
      throw err;
    }
  }
}

/** "3F0050154331", with " index=0 length=1234" when only part of the file is the certificate. */
function describePath(app: Application, where: Pkcs15Path): string {
  const absolute = where.path.subarray(0, 2).equals(MF) ? where.path : app.path ? Buffer.concat([app.path, where.path]) : where.path;
  const range = [where.index === undefined ? '' : ` index=${where.index}`, where.length === undefined ? '' : ` length=${where.length}`].join('');
  return absolute.toString('hex').toUpperCase() + range;
}
