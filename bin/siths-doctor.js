#!/usr/bin/env node
// Tiny launcher: the program lives in dist/ (built by `npm install` / `npm ci` through `prepare`).
import { main } from '../dist/cli.js';

const code = await main(process.argv);
// Exit explicitly: a probe that was stopped may still hold a socket open.
// Wait for stdout to drain first, since pipes are asynchronous on some systems.
process.stdout.write('', () => process.exit(code));
