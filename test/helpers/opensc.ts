import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Prerequisite } from './prereq.js';

export const OPENSC_PREREQUISITE: Prerequisite = { need: 'pkcs15-tool', debianPackage: 'opensc' };

/**
 * An OpenSC configuration of the test's own: OpenSC refuses a card whose ATR
 * it does not know, so map the emulated card's ATR to its generic ("default")
 * driver, and read files fresh each time (no cache).
 */
export function writeOpenscConfig(dir: string, atr: Buffer): string {
  const file = path.join(dir, 'opensc.conf');
  const colons = atr.toString('hex').replace(/(..)(?!$)/g, '$1:');
  writeFileSync(
    file,
    `app default {\n  debug = 0;\n  enable_default_driver = true;\n  card_atr ${colons} {\n    driver = "default";\n  }\n  framework pkcs15 {\n    use_file_caching = no;\n  }\n}\n`,
  );
  return file;
}

export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** pkcs15-tool, asynchronously (the emulated card answers from this very process). */
export function pkcs15Tool(args: readonly string[], env: Record<string, string>): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile('pkcs15-tool', [...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') reject(error);
      else resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

export interface ListedCertificate {
  readonly label: string;
  readonly authority: boolean;
  readonly path: string;
  /** Upper-case hex, as siths-doctor reports iDs. */
  readonly id: string;
}

/** The blocks of `pkcs15-tool --list-certificates`: "X.509 Certificate [label]" and indented "Key : value" lines. */
export function parseCertificateList(stdout: string): ListedCertificate[] {
  const blocks = stdout.split(/^X\.509 Certificate \[/m).slice(1);
  return blocks.map((block) => {
    const label = block.slice(0, block.indexOf(']'));
    const field = (name: string): string => new RegExp(`^\\s+${name}\\s*:\\s*(.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
    return { label, authority: field('Authority') === 'yes', path: field('Path').toUpperCase(), id: field('ID').toUpperCase() };
  });
}

export function pemToDer(pem: string): Buffer {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (!body) throw new Error(`no PEM certificate in: ${pem.slice(0, 200)}`);
  return Buffer.from(body.replace(/\s/g, ''), 'base64');
}
