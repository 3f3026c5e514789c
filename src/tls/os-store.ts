import { X509Certificate } from 'node:crypto';
import type { System } from '../system.js';
import { attributeOf } from './dn.js';
import { issuedBy } from './verify.js';

/** Whether the root an untrusted chain points to is installed in the operating system's own store. */
export interface OsStoreCheck {
  readonly store: 'windows' | 'macos';
  readonly found: boolean;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Browsers on Windows and macOS trust the system's store, where
 * organisations install their inspection CA; Node trusts only Mozilla's.
 * A root found there and not in Mozilla's list is the organisation's own.
 *
 * - macOS: `security find-certificate -a -p -c NAME` over the keychain search
 *   list; a certificate found must really have signed the chain.
 * - Windows: `certutil -store Root NAME` (machine) and `-user` (user); found
 *   by name, since certutil prints no certificate to check the signature with.
 *
 * Elsewhere, or when the tool is missing or too slow: undefined, not a guess.
 */
export async function findRootInOsStore(
  system: System,
  root: { readonly name: string; readonly lastOnPath: X509Certificate; readonly sent: boolean },
  limits: { readonly timeoutMs: number; readonly signal: AbortSignal },
): Promise<OsStoreCheck | undefined> {
  const cn = attributeOf(root.name, 'CN');
  if (!cn) return undefined;
  const options = { timeoutMs: limits.timeoutMs, signal: limits.signal, maxBuffer: 1024 * 1024 };
  try {
    if (system.platform.os === 'darwin') {
      const result = await system.exec('security', ['find-certificate', '-a', '-p', '-c', cn], options);
      if (result.timedOut) return undefined;
      const found = (result.stdout.match(PEM_BLOCK) ?? []).some((pem) => {
        try {
          const candidate = new X509Certificate(pem);
          return root.sent ? candidate.fingerprint256 === root.lastOnPath.fingerprint256 : issuedBy(root.lastOnPath, candidate);
        } catch {
          return false;
        }
      });
      return { store: 'macos', found };
    }
    if (system.platform.os === 'win32') {
      const answers = await Promise.all([
        system.exec('certutil', ['-store', 'Root', cn], options),
        system.exec('certutil', ['-user', '-store', 'Root', cn], options),
      ]);
      if (answers.some((a) => a.timedOut)) return undefined;
      return { store: 'windows', found: answers.some((a) => a.code === 0 && a.stdout.includes(cn)) };
    }
  } catch {
    // The tool is not there (ENOENT): say nothing rather than guess.
  }
  return undefined;
}
