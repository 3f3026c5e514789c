import type { CardCertificate, CardCertificateRead } from '../card/types.js';
import type { FileSystem } from '../system.js';
import { isContext, readDerExactly, type DerNode } from '../der.js';

/** Where a certificate came from: a file given with --cert, or a card. */
export type CertificateOrigin =
  | {
      readonly kind: 'file';
      readonly file: string;
      /** 1-based place in a file that holds several certificates. */
      readonly position?: number;
    }
  | {
      readonly kind: 'card';
      readonly reader: string;
      readonly label: string;
      /** PKCS#15 iD, hex. */
      readonly id: string;
      readonly path: string;
      readonly directory: CardCertificate['source'];
      readonly authority: boolean;
    };

/** Why a file gave no certificate bytes to parse. */
export type InputProblem =
  | 'unreadable-file'
  | 'file-too-large'
  | 'empty-file'
  /** PEM or PKCS#7 without a certificate in it (a private key, a request). */
  | 'no-certificate'
  | 'bad-pem'
  | 'bad-pkcs7'
  /** A .pfx/.p12 file: holds a private key, which no one should send to a helpdesk. */
  | 'pkcs12'
  | 'too-many-certificates';

export type CertificateInput =
  | { readonly origin: CertificateOrigin; readonly der: Buffer }
  | { readonly origin: CertificateOrigin; readonly problem: InputProblem; readonly error: string };

/** A card the certificates were read from, for the report. */
export interface CardSummary {
  readonly reader: string;
  readonly atr: string;
  readonly tokenSerial?: string;
  readonly tokenLabel?: string;
  readonly manufacturer?: string;
  readonly certificateCount: number;
  readonly apduCount: number;
}

/** What the probe judges: every certificate (or failure to get one) from the files or the cards. */
export interface CertificateSet {
  readonly source: 'files' | 'card';
  readonly inputs: readonly CertificateInput[];
  readonly cards?: readonly CardSummary[];
}

/** A certificate file is a few KiB; a bundle of chains perhaps a few hundred. */
export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_CERTIFICATES_PER_FILE = 64;

/** The certificates read from the cards (by the card reader code), as the probe judges them. */
export function certificateSetFromCards(reads: readonly CardCertificateRead[]): CertificateSet {
  return {
    source: 'card',
    inputs: reads.flatMap((read) =>
      read.certificates.map((c) => ({
        origin: { kind: 'card' as const, reader: read.reader, label: c.label, id: c.id, path: c.path, directory: c.source, authority: c.authority },
        der: c.der,
      })),
    ),
    cards: reads.map((read) => ({
      reader: read.reader,
      atr: read.atr,
      tokenSerial: read.tokenInfo?.serialNumber,
      tokenLabel: read.tokenInfo?.label,
      manufacturer: read.tokenInfo?.manufacturer,
      certificateCount: read.certificates.length,
      apduCount: read.apduCount,
    })),
  };
}

/** Read the --cert files through the System's file system; every failure becomes an input problem. */
export async function certificateSetFromFiles(files: readonly string[], fs: FileSystem, signal?: AbortSignal): Promise<CertificateSet> {
  const inputs: CertificateInput[] = [];
  for (const file of files) {
    signal?.throwIfAborted();
    inputs.push(...(await readCertificateFile(file, fs)));
  }
  return { source: 'files', inputs };
}

async function readCertificateFile(file: string, fs: FileSystem): Promise<CertificateInput[]> {
  const origin = { kind: 'file' as const, file };
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (!stat) return [{ origin, problem: 'unreadable-file', error: 'ENOENT' }];
    if (!stat.isFile) return [{ origin, problem: 'unreadable-file', error: 'not a file' }];
    if (stat.size > MAX_FILE_BYTES) return [{ origin, problem: 'file-too-large', error: `${stat.size} bytes` }];
    bytes = await fs.readFile(file);
  } catch (err) {
    return [{ origin, problem: 'unreadable-file', error: (err as NodeJS.ErrnoException).code ?? String(err) }];
  }
  // The file may have grown between stat and read.
  if (bytes.length > MAX_FILE_BYTES) return [{ origin, problem: 'file-too-large', error: `${bytes.length} bytes` }];
  if (bytes.length === 0) return [{ origin, problem: 'empty-file', error: 'no bytes' }];
  return splitCertificateFile(bytes, file);
}

type Piece = { der: Buffer } | { problem: InputProblem; error: string };

/**
 * The certificates in a file: PEM (any number of CERTIFICATE blocks, or a
 * PKCS7 block), DER, a DER PKCS#7 bundle (.p7b, as Windows exports chains),
 * or Base-64 without PEM lines. Anything else is one problem for the file.
 */
export function splitCertificateFile(bytes: Buffer, file: string): CertificateInput[] {
  const pieces = pemLike(bytes) ? piecesFromPem(bytes.toString('latin1')) : piecesFromBinary(bytes);
  const limited = pieces.slice(0, MAX_CERTIFICATES_PER_FILE);
  const several = limited.length > 1;
  const inputs: CertificateInput[] = limited.map((piece, i) => ({
    origin: several ? { kind: 'file', file, position: i + 1 } : { kind: 'file', file },
    ...piece,
  }));
  if (pieces.length > MAX_CERTIFICATES_PER_FILE) {
    inputs.push({ origin: { kind: 'file', file }, problem: 'too-many-certificates', error: `${pieces.length} certificates, only the first ${MAX_CERTIFICATES_PER_FILE} read` });
  }
  return inputs;
}

function pemLike(bytes: Buffer): boolean {
  return bytes.includes('-----BEGIN ');
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 #]{1,40})-----([^-]*)-----END ([A-Z0-9 #]{1,40})-----/g;
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);

function piecesFromPem(text: string): Piece[] {
  const pieces: Piece[] = [];
  const others = new Set<string>();
  let blocks = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    blocks++;
    const [, label, body, endLabel] = m as unknown as [string, string, string, string];
    if (label !== endLabel) {
      pieces.push({ problem: 'bad-pem', error: `BEGIN ${label} ended by END ${endLabel}` });
      continue;
    }
    if (!CERTIFICATE_LABELS.has(label) && label !== 'PKCS7') {
      others.add(label);
      continue;
    }
    const der = base64Body(body);
    if (!der) {
      pieces.push({ problem: 'bad-pem', error: `the ${label} block is not Base-64` });
      continue;
    }
    pieces.push(...(label === 'PKCS7' ? piecesFromPkcs7(der) : [{ der }]));
  }
  const begins = text.split('-----BEGIN ').length - 1;
  if (begins > blocks) pieces.push({ problem: 'bad-pem', error: `${begins - blocks} PEM block(s) without a matching END line` });
  if (pieces.length === 0) return [{ problem: 'no-certificate', error: [...others].join(', ') || 'no PEM block' }];
  return pieces;
}

function base64Body(body: string): Buffer | undefined {
  // PEM headers ("Proc-Type: ...") are not certificates; anything else not Base-64 is damage.
  const compact = body.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, 'base64');
}

function piecesFromBinary(bytes: Buffer, mayBeBase64 = true): Piece[] {
  const text = bytes.toString('latin1').trim();
  // "Base-64 encoded" exports without the PEM lines.
  if (mayBeBase64 && text.length >= 16 && /^[A-Za-z0-9+/\s]+={0,2}$/.test(text)) {
    const der = base64Body(text);
    if (der && der[0] === 0x30) return piecesFromBinary(der, false);
  }
  if (looksLikePkcs12(bytes)) return [{ problem: 'pkcs12', error: 'PKCS#12 (PFX) structure' }];
  if (looksLikePkcs7(bytes)) return piecesFromPkcs7(bytes);
  return [{ der: bytes }];
}

const SIGNED_DATA_OID = Buffer.from('06092a864886f70d010702', 'hex');
const DATA_OID = Buffer.from('06092a864886f70d010701', 'hex');

/** ContentInfo with the signedData OID right after the outer header. */
function looksLikePkcs7(bytes: Buffer): boolean {
  return bytes[0] === 0x30 && bytes.subarray(0, 16).includes(SIGNED_DATA_OID);
}

/** PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (data), ... } */
function looksLikePkcs12(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 24);
  return bytes[0] === 0x30 && head.includes(Buffer.from([0x02, 0x01, 0x03])) && head.includes(DATA_OID);
}

/** The certificates field of a PKCS#7 SignedData: ContentInfo { signedData, [0] SignedData { ..., [0] IMPLICIT certificates } }. */
function piecesFromPkcs7(der: Buffer): Piece[] {
  try {
    const contentInfo = readDerExactly(der);
    const signedData = children(children(contentInfo)[1])[0];
    const certificates = children(signedData).find((n) => isContext(n, 0));
    const pieces = certificates ? children(certificates).map((c) => ({ der: Buffer.from(c.raw) })) : [];
    return pieces.length > 0 ? pieces : [{ problem: 'no-certificate', error: 'PKCS#7 without certificates' }];
  } catch (err) {
    return [{ problem: 'bad-pkcs7', error: err instanceof Error ? err.message : String(err) }];
  }
}

function children(node: DerNode | undefined): readonly DerNode[] {
  if (!node || !node.constructed) throw new Error('unexpected structure');
  return node.children;
}
