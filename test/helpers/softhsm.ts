import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import type { Prerequisite } from './prereq.js';

const PRIVATE_CERT_SCRIPT = fileURLToPath(new URL('./softhsm-private-cert.mjs', import.meta.url));

export const SOFTHSM_LIBRARY = '/usr/lib/softhsm/libsofthsm2.so';

export const SOFTHSM_PREREQUISITES: readonly Prerequisite[] = [
  { need: 'softhsm2-util', debianPackage: 'softhsm2' },
  { need: SOFTHSM_LIBRARY, debianPackage: 'softhsm2' },
  { need: 'pkcs11-tool', debianPackage: 'opensc' },
];

const SO_PIN = '87654321';
const USER_PIN = '123456';

/**
 * A SoftHSM2 of its own in a temp folder: its own SOFTHSM2_CONF and token
 * folder, so tests running in parallel never see each other's tokens.
 */
export class SoftHsm {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'siths-softhsm-'));
  readonly conf = path.join(this.dir, 'softhsm2.conf');
  readonly env: Record<string, string>;

  constructor() {
    mkdirSync(path.join(this.dir, 'tokens'));
    writeFileSync(this.conf, `directories.tokendir = ${path.join(this.dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    this.env = { SOFTHSM2_CONF: this.conf };
  }

  private run(program: string, args: readonly string[]): string {
    return execFileSync(program, [...args], { env: { ...process.env, ...this.env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Initialise a token in the first free slot (test setup: this is where a PIN is used, never by the tool). */
  initToken(label: string): void {
    this.run('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', SO_PIN, '--pin', USER_PIN]);
  }

  /** Write a public certificate object onto the token (test setup, with the user PIN). */
  writeCertificate(tokenLabel: string, der: Buffer, objectLabel: string, id: string): void {
    const file = path.join(this.dir, `${id}.der`);
    writeFileSync(file, der);
    this.run('pkcs11-tool', [
      '--module',
      SOFTHSM_LIBRARY,
      '--token-label',
      tokenLabel,
      '--login',
      '--pin',
      USER_PIN,
      '--write-object',
      file,
      '--type',
      'cert',
      '--id',
      id,
      '--label',
      objectLabel,
    ]);
  }

  /**
   * Write a certificate object with CKA_PRIVATE set, visible only after login.
   * pkcs11-tool writes certificates as public whatever it is told, so a small
   * script of ours logs in through koffi in a separate Node process (test setup only).
   */
  writePrivateCertificate(tokenLabel: string, der: Buffer, objectLabel: string, id: string): void {
    const subject = forge.asn1.toDer(forge.pki.distinguishedNameToAsn1(forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary'))).subject)).getBytes();
    const args = [SOFTHSM_LIBRARY, tokenLabel, objectLabel, id, der.toString('base64'), Buffer.from(subject, 'binary').toString('base64'), USER_PIN];
    execFileSync(process.execPath, [PRIVATE_CERT_SCRIPT, ...args], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Labels of the certificate objects pkcs11-tool sees after logging in: to prove a test's setup. */
  certificateLabelsAfterLogin(tokenLabel: string): string[] {
    const out = this.run('pkcs11-tool', ['--module', SOFTHSM_LIBRARY, '--token-label', tokenLabel, '--login', '--pin', USER_PIN, '--list-objects', '--type', 'cert']);
    return [...out.matchAll(/^\s*label:\s*(.*)$/gm)].map((m) => m[1]!.trim());
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
