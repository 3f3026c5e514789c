// Makes the native `pcsclite` module look uninstalled, the way a failed
// node-gyp build leaves it: `node --import <this file>`, or through
// NODE_OPTIONS so that siths-doctor's PC/SC helper process inherits it.
// Test-only: siths-doctor itself has no switch for this.
import { register } from 'node:module';

register(new URL('./hide-pcsclite-hooks.mjs', import.meta.url));
