import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';

/**
 * The system resolver (getaddrinfo, like browsers: hosts file, search domains,
 * the OS's own DNS client), guarded for a resolver that never answers.
 * getaddrinfo cannot be cancelled and holds one of libuv's four pool threads
 * until the resolver gives up (10-16 s on Linux), which the file writes need
 * too, and which `process.exit` waits for. So: the same question asked twice
 * shares one lookup, at most two run at once (leaving threads for files), and
 * `lookupsPending()` tells the exit that it must not wait (see cli/exit.ts).
 */
const MAX_IN_FLIGHT = 2;
const inFlight = new Map<string, Promise<LookupAddress>>();
const queue: (() => void)[] = [];
let running = 0;

export function systemLookup(host: string, family?: 4 | 6): Promise<LookupAddress> {
  const key = `${family ?? 0}/${host.toLowerCase()}`;
  const known = inFlight.get(key);
  if (known) return known;
  const answer = slot().then(() =>
    dnsLookup(host, family ? { family } : {}).finally(() => {
      inFlight.delete(key);
      running--;
      queue.shift()?.();
    }),
  );
  inFlight.set(key, answer);
  return answer;
}

/** Lookups started or waiting that the resolver has not answered yet. */
export function lookupsPending(): number {
  return inFlight.size;
}

function slot(): Promise<void> {
  if (running < MAX_IN_FLIGHT) {
    running++;
    return Promise.resolve();
  }
  return new Promise((resolve) =>
    queue.push(() => {
      running++;
      resolve();
    }),
  );
}
