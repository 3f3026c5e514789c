/**
 * The bundle's entry (dist/siths-doctor.cjs, and the script inside the
 * standalone executables): the npm bin and the executables start here.
 * It decides what this process is — a helper, or the command line — and
 * loads only that. Everything else is loaded by the command that needs it.
 */
import { HELPER_FLAG, HELPER_KINDS, registerSelf, type HelperKind } from './helpers.js';

/** Runs the program for `argv` (process.argv's layout) and resolves with the exit code, or undefined for a helper, which ends itself. */
export async function start(argv: readonly string[], bundleFile: string, standalone: boolean): Promise<number | undefined> {
  registerSelf(standalone ? { command: process.execPath, args: [] } : { command: process.execPath, args: [bundleFile] });
  if (argv[2] === HELPER_FLAG) {
    const kind = argv[3] as HelperKind;
    if (!HELPER_KINDS.includes(kind)) {
      process.stderr.write(`siths-doctor: unknown helper "${kind}"\n`);
      return 3;
    }
    // The helper entries read their own arguments from process.argv[2…].
    process.argv.splice(2, 2);
    if (kind === 'pcsc-host') (await import('../pcsc/host.js')).runPcscHost();
    else {
      await (await import('../pkcs11/child.js')).runPkcs11Child();
      // As its own entry script does: the result is sent; end before the library's threads can keep the process.
      process.exit(0);
    }
    return undefined;
  }
  // The version needs nothing else loaded (commander prints the same for it).
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    const { TOOL_VERSION } = await import('../version.js');
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  const { doubleClicked, waitForEnter } = await import('./double-click.js');
  const ownWindow = doubleClicked(argv);
  // The window's title says what runs in it (not the path); it also gives libuv a title to read, which a console
  // without one (Wine's) lacks: libuv asserts then. Only a window of our own: a prompt's title is not ours to change.
  if (ownWindow) process.title = 'siths-doctor';
  const { main } = await import('../cli.js');
  if (ownWindow) {
    const code = await main(argv);
    await waitForEnter();
    return code;
  }
  return main(argv);
}
