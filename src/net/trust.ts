import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { msg, type Localized } from '../i18n/index.js';
import type { DoctorOptions } from '../options.js';
import type { FileSystem, System } from '../system.js';
import { once } from './memo.js';

/** An extra-roots file that holds no readable certificate. */
export class TrustConfigError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'TrustConfigError';
  }
}

/**
 * The roots to trust: undefined (Node's bundled Mozilla roots) unless
 * --ca-file names files, then those roots plus every certificate in the files.
 * Giving `ca` replaces Node's store, hence the bundled roots are added back.
 * A file without a readable certificate makes every HTTPS check fail with
 * that reason rather than quietly trusting less than was asked.
 */
export async function trustedRoots(ctx: { readonly options: DoctorOptions; readonly system: System }): Promise<readonly string[] | undefined> {
  if (ctx.options.caFiles.length === 0) return undefined;
  const loaded = await caFilesOf(ctx);
  const problem = loaded.problems[0];
  if (problem) {
    throw new TrustConfigError(msg(`--ca-file ${problem.file}: ${problem.reason.sv}`, `--ca-file ${problem.file}: ${problem.reason.en}`));
  }
  return loaded.ca;
}

/** The --ca-file files, read once per run. */
export function caFilesOf(ctx: { readonly options: DoctorOptions; readonly system: System }): Promise<CaFiles> {
  const files = ctx.options.caFiles;
  return once(ctx.system, `ca:${files.join('\n')}`, () => loadCaFiles(ctx.system.fs, files));
}

/**
 * Where a trusted root comes from: Node's bundled Mozilla list (what
 * Firefox trusts, and what tells a public root from an organisation's own),
 * or a file given with --ca-file.
 */
export type AnchorSource = 'mozilla' | 'ca-file';

export interface TrustAnchor {
  readonly cert: X509Certificate;
  readonly source: AnchorSource;
  readonly file?: string;
}

export interface CaFiles {
  readonly anchors: readonly TrustAnchor[];
  /** Node's bundled roots and these, for Node's TLS (`ca`); undefined when the files added none. */
  readonly ca?: readonly string[];
  /** Files, or blocks in them, that held no readable certificate. */
  readonly problems: readonly { readonly file: string; readonly reason: Localized }[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Read --ca-file files: PEM bundles (any number of certificates) or a single DER certificate. */
export async function loadCaFiles(fs: FileSystem, files: readonly string[]): Promise<CaFiles> {
  const anchors: TrustAnchor[] = [];
  const pem: string[] = [];
  const problems: { file: string; reason: Localized }[] = [];
  for (const file of files) {
    let content: Buffer;
    try {
      content = await fs.readFile(file);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      problems.push({ file, reason: msg(`går inte att läsa (${why})`, `cannot be read (${why})`) });
      continue;
    }
    const text = content.toString('latin1');
    const blocks = text.includes('-----BEGIN CERTIFICATE-----') ? (text.match(PEM_BLOCK) ?? []) : [content];
    for (const block of blocks) {
      try {
        const cert = new X509Certificate(block);
        anchors.push({ cert, source: 'ca-file', file });
        pem.push(cert.toString());
      } catch {
        problems.push({ file, reason: msg('ett certifikat i filen går inte att läsa (PEM eller DER väntades)', 'a certificate in it cannot be read (PEM or DER expected)') });
      }
    }
    if (blocks.length === 0) problems.push({ file, reason: msg('filen innehåller inget certifikat', 'it holds no certificate') });
  }
  return { anchors, ca: pem.length > 0 ? [...rootCertificates, ...pem] : undefined, problems };
}
