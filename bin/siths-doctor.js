#!/usr/bin/env node
// Tiny launcher: the program is one bundled script, dist/siths-doctor.cjs (built by
// `npm install` / `npm ci` through `prepare`, or `npm run build`); it starts itself.
// Compiling that script is most of a start, so V8's code cache for it is kept in
// the temp folder: Node's own compile cache where Node has one (22.1+), else the
// same thing by hand (vm.Script cachedData), keyed on the bundle and the Node version.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

const require = createRequire(import.meta.url);
let bundle;
try {
  bundle = require.resolve('../dist/siths-doctor.cjs');
} catch {
  bundle = await bundleCheckout();
}

if (typeof Module.enableCompileCache === 'function') {
  Module.enableCompileCache();
  require(bundle);
} else {
  runWithCodeCache(bundle);
}

function runWithCodeCache(file) {
  const source = readFileSync(file, 'utf8');
  const { size, mtimeMs } = statSync(file);
  const user = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  const cacheFile = path.join(os.tmpdir(), `siths-doctor-code-cache-${user}`, `${process.version}-${size}-${Math.round(mtimeMs)}.bin`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // First run of this build.
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit, so the functions this run compiled lazily are in the cache too.
    process.once('exit', () => {
      try {
        mkdirSync(path.dirname(cacheFile), { recursive: true });
        const partial = `${cacheFile}.${process.pid}`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
      } catch {
        // A cache that cannot be written only costs time.
      }
    });
  }
  const module = { exports: {}, filename: file, id: file, loaded: false, children: [], paths: [] };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
}

/**
 * A checkout installed with `npm ci --ignore-scripts` has no dist/ (prepare
 * did not run): bundle it once with esbuild, which needs no install script.
 */
async function bundleCheckout() {
  try {
    process.stderr.write('siths-doctor: building the program once (dist/ is missing)…\n');
    const { bundle: build } = await import('../scripts/bundle.mjs');
    return await build();
  } catch (err) {
    process.stderr.write(
      `siths-doctor: cannot load the program (${err && err.message}).\n` +
        'If this is a checkout, run "npm ci" (or "npm run build") first.\n',
    );
    process.exit(3);
  }
}
