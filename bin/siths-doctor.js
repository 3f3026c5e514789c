#!/usr/bin/env node
// Tiny launcher: the program is one bundled script, dist/siths-doctor.cjs (built by
// `npm install` / `npm ci` through `prepare`, or `npm run build`); it starts itself.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let bundle;
try {
  bundle = require.resolve('../dist/siths-doctor.cjs');
} catch (err) {
  process.stderr.write(
    `siths-doctor: cannot load the program (${err && err.message}).\n` +
      'If this is a checkout, run "npm ci" (or "npm run build") first.\n',
  );
  process.exit(3);
}
require(bundle);
