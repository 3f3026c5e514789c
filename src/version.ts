import { readFileSync } from 'node:fs';

/** Set by the bundler (scripts/bundle.mjs): an executable has no package.json beside it. */
declare const __SITHS_DOCTOR_VERSION__: string | undefined;

/** The package version: the bundler's, or read once from package.json (next to dist/ and src/). */
export const TOOL_VERSION: string = (() => {
  if (typeof __SITHS_DOCTOR_VERSION__ === 'string') return __SITHS_DOCTOR_VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

export const TOOL_NAME = 'siths-doctor';
