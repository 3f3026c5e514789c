import { realNetwork } from '../../src/net/http.js';
import { realClock, realExec, realFileSystem, realPlatform, type Clock, type System } from '../../src/system.js';

/** A System for tests: the real machine, with any part replaced by a recording or a fake. */
export function testSystem(overrides: Partial<System> = {}): System {
  return {
    clock: realClock,
    env: {},
    platform: realPlatform(),
    fs: realFileSystem,
    exec: realExec,
    net: realNetwork,
    ...overrides,
  };
}

/** A clock frozen at `at` (monotonic time still moves, so durations stay real). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at), monotonicMs: () => performance.now() };
}
