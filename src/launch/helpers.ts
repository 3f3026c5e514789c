/**
 * How siths-doctor starts its helper processes (the PC/SC host and the
 * PKCS#11 child). Run from the bundle (the npm bin and the standalone
 * executables) a helper is this same program started again in helper mode:
 * an executable has no `node` and no script on disk to start. Run from the
 * compiled files (dist/, or the sources under vitest) it is node and the
 * helper's own script, as before.
 */
export type HelperKind = 'pcsc-host' | 'pkcs11-child';

export const HELPER_KINDS: readonly HelperKind[] = ['pcsc-host', 'pkcs11-child'];

/** The first argument that puts the program in helper mode: `--siths-doctor-helper KIND ARGS…`. */
export const HELPER_FLAG = '--siths-doctor-helper';

export interface LaunchCommand {
  readonly command: string;
  readonly args: string[];
}

let self: LaunchCommand | undefined;

/** Set once by the bundle's entry: how to start this very program again (the executable, or node and the bundle). */
export function registerSelf(command: LaunchCommand): void {
  self = command;
}

/**
 * The command and arguments that start a helper of `kind` with `args`.
 * `script` is the helper's compiled file, used only outside the bundle;
 * `execArgv` (Node options, tests only) likewise.
 */
export function helperCommand(kind: HelperKind, script: string, args: readonly string[], execArgv: readonly string[] = []): LaunchCommand {
  if (self) return { command: self.command, args: [...self.args, HELPER_FLAG, kind, ...args] };
  return { command: process.execPath, args: [...execArgv, script, ...args] };
}

/**
 * A helper's environment: the run's, without what only costs a helper time.
 * Node reads every NODE_EXTRA_CA_CERTS file as it starts (about 80 ms for a
 * system bundle), and the helpers never open a TLS connection.
 */
export function helperEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && k !== 'NODE_EXTRA_CA_CERTS') out[k] = v;
  return out;
}
