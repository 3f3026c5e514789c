import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

export type KoffiModule = typeof Koffi;

let loaded: KoffiModule | undefined;

/**
 * The one place koffi (the FFI that reaches winscard / PCSC.framework /
 * libpcsclite and PKCS#11 libraries) is loaded. The npm package resolves it
 * from node_modules; the standalone executables change only this function
 * (the native part travels inside them as an asset).
 */
export function loadKoffi(): KoffiModule {
  loaded ??= createRequire(import.meta.url)('koffi') as KoffiModule;
  return loaded;
}
