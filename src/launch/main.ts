/**
 * The bundle's top: start the program and exit with its code. Only ever run
 * as the CommonJS bundle (scripts/bundle.mjs). Helpers are started again the
 * way this process was: through the npm bin (argv[1]) with its code cache.
 */
import { isSea } from 'node:sea';
import { exitProcess } from '../cli/exit.js';
import { start } from './entry.js';

void start(process.argv, process.argv[1] ?? __filename, isSea()).then(
  (code) => {
    // A helper ends itself. Otherwise exit explicitly: a probe that was stopped may still hold a socket open,
    // or a name lookup the system resolver has not answered (exitProcess does not wait for it).
    // Wait for stdout and stderr to drain first, since pipes are asynchronous on some systems.
    if (code !== undefined) process.stdout.write('', () => process.stderr.write('', () => exitProcess(code)));
  },
  (err: unknown) => {
    process.stderr.write(`siths-doctor: cannot start (${err instanceof Error ? err.message : String(err)})\n`);
    process.exit(3);
  },
);
