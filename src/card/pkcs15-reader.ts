import type { ReadOnlyCard } from './apdu.js';
import { derElementLength } from '../der.js';
import { CardReadError, isCardReadError } from './errors.js';
import { readBinary, selectFile, type FileInfo, type FileRef } from './iso7816.js';
import { parseEfDir, PKCS15_AID, type CertificateObject, type Pkcs15Path } from './pkcs15.js';
import type { CardCertificate } from './types.js';

const MF = Buffer.from([0x3f, 0x00]);
const EF_DIR = Buffer.from([0x3f, 0x00, 0x2f, 0x00]);

export interface Application {
  /** Absolute path of the application DF, when EF.DIR gives it. */
  readonly path?: Buffer;
}

/** Finds the PKCS#15 application and reads files and certificates of it, keeping track of what is selected. */
export class Pkcs15Reader {
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

/** "3F0050154331", with " [0+1234]" (offset and length in bytes) when only part of the file is the certificate. */
function describePath(app: Application, where: Pkcs15Path): string {
  const absolute = where.path.subarray(0, 2).equals(MF) ? where.path : app.path ? Buffer.concat([app.path, where.path]) : where.path;
  const range = where.index === undefined && where.length === undefined ? '' : ` [${where.index ?? 0}${where.length === undefined ? '' : `+${where.length}`}]`;
  return absolute.toString('hex').toUpperCase() + range;
}
