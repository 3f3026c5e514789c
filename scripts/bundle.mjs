#!/usr/bin/env node
// Bundles the program into one CommonJS script, dist/siths-doctor.cjs, with
// esbuild: the npm bin and the standalone executables run this same file.
// Modules behind a dynamic import() stay lazy inside the bundle (esbuild
// wraps them), so a command loads only what it uses. Native modules stay
// outside: koffi is found in node_modules by the npm package and travels as
// an asset in the executables (src/native/koffi.ts).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = path.join(ROOT, 'dist', 'siths-doctor.cjs');

/** Writes the bundle to `outfile` (default dist/siths-doctor.cjs) and returns its path. */
export async function bundle(outfile = BUNDLE) {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/launch/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    // Loaded at run time by path, never bundled: koffi's loader looks for its own .node files.
    external: ['koffi', 'koffi/*'],
    // import.meta.url does not exist in CommonJS: give modules the bundle's own file URL.
    define: {
      'import.meta.url': '__bundleFileUrl',
      __SITHS_DOCTOR_VERSION__: JSON.stringify(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version),
    },
    banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(typeof __filename === 'string' ? __filename : process.execPath).href;" },
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle();
}
