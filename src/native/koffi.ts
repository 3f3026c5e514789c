import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import { dlopenFile, seaNativeFile } from './sea-asset.js';

export type KoffiModule = typeof Koffi;

let loaded: KoffiModule | undefined;

/**
 * The one place koffi (the FFI that reaches winscard / PCSC.framework /
 * libpcsclite and PKCS#11 libraries) is loaded. The npm package resolves it
 * from node_modules; the standalone executables change only this function
 * (the native part travels inside them as an asset).
 */
export function loadKoffi(): KoffiModule {
  loaded ??= standaloneKoffi() ?? (createRequire(import.meta.url)('koffi') as KoffiModule);
  return loaded;
}

/**
 * In the executable: koffi's native module for this platform is the SEA asset
 * `koffi.node` (scripts/package.mjs), loaded from the user's cache folder. The
 * native module is koffi's whole API; koffi's JavaScript loaders only find
 * and load it (with a require() that an executable's script does not have).
 */
function standaloneKoffi(): KoffiModule | undefined {
  const file = seaNativeFile('koffi.node');
  return file === undefined ? undefined : (dlopenFile(file) as KoffiModule);
}
