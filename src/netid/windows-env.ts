import type { ProbeContext } from '../model.js';

type Env = ProbeContext['system']['env'];

/** Windows variables are case-insensitive: %ProgramFiles% and %PROGRAMFILES% are the same. */
export function envValue(env: Env, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(env)) if (k.toLowerCase() === wanted && v) return v;
  return undefined;
}

/** %VARIABLE% expansion as Windows does it for REG_EXPAND_SZ; an unknown variable stays as written. */
export function expandEnv(text: string, env: Env): string {
  return text.replace(/%([^%\\]+)%/g, (all, name: string) => envValue(env, name) ?? all);
}
