import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';

/** A program or file an end-to-end test needs, and the Debian package that brings it. */
export interface Prerequisite {
  /** A program name looked up on PATH (and /usr/sbin), or an absolute file path. */
  readonly need: string;
  readonly debianPackage: string;
}

function found(need: string): boolean {
  const candidates = path.isAbsolute(need)
    ? [need]
    : [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/lib/squid'].map((dir) => path.join(dir, need));
  return candidates.some((file) => {
    try {
      accessSync(file, path.isAbsolute(need) ? constants.R_OK : constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function missingPrerequisites(prereqs: readonly Prerequisite[]): Prerequisite[] {
  return prereqs.filter((p) => !found(p.need));
}

/**
 * describe() for end-to-end tests against real components. When something is
 * missing: outside CI the suite is skipped with a message saying what to
 * install; with CI=true it fails loudly instead, so CI can never pass by
 * silently testing nothing.
 */
export function describeWith(name: string, prereqs: readonly Prerequisite[], body: () => void): void {
  const missing = missingPrerequisites(prereqs);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const what = missing.map((p) => `${p.need} (Debian package ${p.debianPackage})`).join(', ');
  const install = `sudo apt-get install ${[...new Set(missing.map((p) => p.debianPackage))].join(' ')}`;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      it('has its prerequisites', () => {
        throw new Error(`missing prerequisite: ${what}. Install with: ${install} (or run .ci/run)`);
      });
    });
    return;
  }
  console.warn(`[skipped] ${name}: missing ${what}. Install with: ${install}`);
  describe.skip(name, body);
}
