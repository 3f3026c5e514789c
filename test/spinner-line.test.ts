import { describe, expect, it } from 'vitest';
import { spinnerLine, SLOW_CHECK_MS } from '../src/cli/spinner-line.js';
import { msg } from '../src/i18n/index.js';
import { cardCert } from '../src/probes/card-cert.js';
import { PROBES } from '../src/probes/index.js';
import { proxyProbe } from '../src/probes/proxy.js';

const running = (probe: { title: ReturnType<typeof msg>; waitingFor?: ReturnType<typeof msg> }, startedMs: number) => ({
  title: probe.title,
  ...(probe.waitingFor ? { waitingFor: probe.waitingFor } : {}),
  startedMs,
});

describe('the spinner line says what a slow check waits for', () => {
  it('names the running checks, and only after SLOW_CHECK_MS what the card check waits for', () => {
    const checks = [running(cardCert, 1000)];
    expect(spinnerLine(checks, 1000 + SLOW_CHECK_MS - 1, 'en')).toBe('Checking: Certificates on the card');
    expect(spinnerLine(checks, 1000 + SLOW_CHECK_MS, 'en')).toBe('Checking: Certificates on the card — waiting for the card to answer…');
    expect(spinnerLine(checks, 1000 + SLOW_CHECK_MS, 'sv')).toBe('Kontrollerar: Certifikat på kortet — väntar på att kortet ska svara…');
  });

  it('says what the longest-running slow check waits for', () => {
    const checks = [running(cardCert, 5000), running(proxyProbe, 1000)];
    expect(spinnerLine(checks, 9000, 'en')).toBe('Checking: Certificates on the card, Proxy — waiting for the proxy…');
    // Only the card check has become slow.
    expect(spinnerLine(checks, 1000 + SLOW_CHECK_MS - 1, 'en')).toBe('Checking: Certificates on the card, Proxy');
  });

  it('says nothing more for a slow check that declares nothing to wait for', () => {
    expect(spinnerLine([running({ title: msg('X', 'X') }, 0)], 60_000, 'en')).toBe('Checking: X');
  });

  it.each(PROBES.map((p) => [p.id, p] as const))('%s declares what it waits for, in both languages', (_id, probe) => {
    expect(probe.waitingFor?.sv).toMatch(/^väntar på .+…$/);
    expect(probe.waitingFor?.en).toMatch(/^waiting for .+…$/);
  });
});
