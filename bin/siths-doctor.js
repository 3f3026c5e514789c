#!/usr/bin/env node
// Tiny launcher: the program lives in dist/ (built by `npm install` / `npm ci` through `prepare`).
let main, exitProcess;
try {
  ({ main, exitProcess } = await import('../dist/cli.js'));
} catch (err) {
  process.stderr.write(
    `siths-doctor: cannot load the program (${err && err.message}).\n` +
      'If this is a checkout, run "npm ci" (or "npm run build") first.\n',
  );
  process.exit(3);
}

const code = await main(process.argv);
// Exit explicitly: a probe that was stopped may still hold a socket open, or a
// name lookup the system resolver has not answered (exitProcess does not wait for it).
// Wait for stdout and stderr to drain first, since pipes are asynchronous on some systems.
process.stdout.write('', () => process.stderr.write('', () => exitProcess(code)));
