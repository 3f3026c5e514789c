import { promises as fsp } from 'node:fs';
import { msg, type Localized } from '../i18n/index.js';
import { UsageError } from '../runner.js';
import { MAX_FILE_BYTES, splitCertificateFile } from '../x509/inputs.js';

// A private key in PEM: PKCS#8 (PRIVATE KEY, ENCRYPTED PRIVATE KEY) or the older RSA/EC PRIVATE KEY.
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/**
 * A --cert file that holds no certificate is bad input, like a missing file:
 * exit code 2 with one reason, before anything runs, not a failed check. A file
 * with a private key in it (PEM or .pfx/.p12) is refused with the same warning
 * either way: nobody should pass private keys around, least of all to a helpdesk.
 */
export async function checkCertificateFiles(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const why = await refusal(file);
    if (why) throw new UsageError(msg(`Filen för --cert ${why.sv}: ${file}`, `The file for --cert ${why.en}: ${file}`));
  }
}

async function refusal(file: string): Promise<Localized | undefined> {
  const stat = await fsp.stat(file);
  if (!stat.isFile()) return msg('är ingen vanlig fil (utan en enhet, en FIFO eller liknande)', 'is not a regular file (but a device, a FIFO or the like)');
  if (stat.size === 0) return msg('är tom', 'is empty');
  // Too large to be a certificate file: the check says so with the size.
  if (stat.size > MAX_FILE_BYTES) return undefined;
  const bytes = await fsp.readFile(file);
  const inputs = splitCertificateFile(bytes, file);
  if (PEM_PRIVATE_KEY.test(bytes.toString('latin1')) || inputs.some((i) => 'problem' in i && i.problem === 'pkcs12')) {
    return msg(
      'innehåller en privat nyckel. Skicka aldrig privata nycklar (.pfx, .p12, .key) till någon; exportera bara certifikatet (.cer) och kör igen',
      'holds a private key. Never send private keys (.pfx, .p12, .key) to anyone; export the certificate alone (.cer) and run again',
    );
  }
  // The certificate code (src/x509) loads only when --cert is given: start-up stays light.
  const [{ analyseSet, isAnalysed }, { problemText }] = await Promise.all([import('../x509/judge.js'), import('../x509/describe.js')]);
  const judged = analyseSet({ source: 'files', inputs }, new Date());
  const first = judged[0];
  if (first && !judged.some(isAnalysed) && !isAnalysed(first)) {
    const why = problemText(first);
    return msg(`innehåller inget certifikat som går att läsa: ${why.sv}`, `holds no certificate that can be read: ${why.en}`);
  }
  return undefined;
}
