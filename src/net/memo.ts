/**
 * Work done once per run and shared by the checks that need it (the OS proxy
 * settings, a PAC script, the extra roots). Keyed by the run's System, so a
 * new run, or a test with its own System, starts afresh.
 */
const perOwner = new WeakMap<object, Map<string, Promise<unknown>>>();

export function once<T>(owner: object, key: string, make: () => Promise<T>): Promise<T> {
  let cache = perOwner.get(owner);
  if (!cache) perOwner.set(owner, (cache = new Map()));
  let value = cache.get(key) as Promise<T> | undefined;
  if (!value) cache.set(key, (value = make()));
  return value;
}

/** Wait for shared work, but stop waiting when this caller's own signal aborts. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
