import { describe, expect, it } from 'vitest';
import { shouldWait } from '../src/launch/double-click.js';

/** The decision of double-click mode; the Windows executable under Wine shows the scripted case for real (executable-wine.test.ts). */
describe('double-click mode waits for Enter only in a console of its own', () => {
  const count = (n: number) => {
    const asked: number[] = [];
    return { asked, fn: () => (asked.push(n), n) };
  };

  it('waits when started bare on Windows as the only process of its console, with a terminal on stdin', () => {
    expect(shouldWait([], 'win32', count(1).fn, () => true)).toBe(true);
  });

  it('never waits from a prompt: cmd.exe or PowerShell share the console', () => {
    expect(shouldWait([], 'win32', count(2).fn, () => true)).toBe(false);
  });

  it('never waits under a script or fleet tool: no console, or no terminal on stdin', () => {
    expect(shouldWait([], 'win32', count(0).fn, () => true)).toBe(false);
    expect(shouldWait([], 'win32', count(1).fn, () => false)).toBe(false);
  });

  it('never waits with arguments or off Windows, and then does not even ask the console', () => {
    const c = count(1);
    expect(shouldWait(['check'], 'win32', c.fn, () => true)).toBe(false);
    expect(shouldWait([], 'linux', c.fn, () => true)).toBe(false);
    expect(c.asked).toEqual([]);
  });
});
