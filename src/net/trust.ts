import { rootCertificates } from 'node:tls';
import { msg, type Localized } from '../i18n/index.js';
import type { DoctorOptions } from '../options.js';
import type { System } from '../system.js';
import { once } from './memo.js';

/** An extra-roots file that holds no certificate. */
export class TrustConfigError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'TrustConfigError';
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The roots to trust: undefined (Node's bundled Mozilla roots) unless
 * --ca-file names files, then those roots plus every certificate in the files.
 * Giving `ca` replaces Node's store, hence the bundled roots are added back.
 */
export function trustedRoots(ctx: { readonly options: DoctorOptions; readonly system: System }): Promise<readonly string[] | undefined> {
  const files = ctx.options.caFiles;
  if (files.length === 0) return Promise.resolve(undefined);
  return once(ctx.system, `ca:${files.join('\n')}`, async () => {
    const extra: string[] = [];
    for (const file of files) {
      const found = (await ctx.system.fs.readFile(file)).toString('latin1').match(PEM_CERTIFICATE) ?? [];
      if (found.length === 0) {
        throw new TrustConfigError(
          msg(`--ca-file ${file} innehåller inget PEM-certifikat (-----BEGIN CERTIFICATE-----).`, `--ca-file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`),
        );
      }
      extra.push(...found);
    }
    return [...rootCertificates, ...extra];
  });
}
