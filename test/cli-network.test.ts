import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, type JsonCheck } from './helpers/cli.js';
import { startHttpsServer, startSilentServer, testSite, type LoopbackServer } from './helpers/https-servers.js';
import { siteArgs } from './helpers/site.js';

const TIMEOUT = 1500;


async function check(args: string[]) {
  const run = await runBin(['check', 'proxy', 'test-page', 'clock', '--format', 'json', ...args]);
  if (!run.stdout.startsWith('{')) throw new Error(`no report (exit ${run.code}): ${run.stderr}`);
  const checks = (JSON.parse(run.stdout) as { checks: JsonCheck[] }).checks;
  return { ...run, byId: Object.fromEntries(checks.map((c) => [c.id, c])) };
}

describe('siths-doctor check proxy test-page clock, direct, as a child process', () => {
  let site: LoopbackServer;
  let silent: LoopbackServer;
  beforeAll(async () => {
    [site, silent] = await Promise.all([startHttpsServer(testSite), startSilentServer()]);
  });
  afterAll(async () => {
    await Promise.all([site.close(), silent.close()]);
  });

  it('passes against the test page, exit 0', async () => {
    const run = await check(siteArgs(site.port, '/', TIMEOUT));
    expect(run.code, run.stderr).toBe(0);
    expect(Object.values(run.byId).map((c) => `${c.id} ${c.status}`)).toEqual(['clock pass', 'proxy pass', 'test-page pass']);
    expect(run.byId.proxy!.summary).toBe('Direct connection: no proxy is configured.');
  });

  it('fails the clock when the server’s time is 10 minutes away, exit 1, and prints it readably in Swedish', async () => {
    const run = await check(siteArgs(site.port, '/date/600', TIMEOUT));
    expect(run.code).toBe(1);
    expect(run.byId.clock!.status).toBe('fail');
    expect(run.byId['test-page']!.status).toBe('pass');
    const text = await runBin(['check', 'clock', 'test-page', ...siteArgs(site.port, '/date/600', TIMEOUT), '--lang', 'sv']);
    expect(text.stdout).toMatch(/\[✗\] Datorns klocka\s+Datorns klocka går (9 min 5\d s|10 min( \d s)?) efter jämfört med test\.siths\.se:\d+\./);
    expect(text.stdout).toContain('ut att ha gått ut eller inte ha börjat gälla');
  });

  it('names a redirect loop, exit 1', async () => {
    const run = await check(siteArgs(site.port, '/loop/a', TIMEOUT));
    expect(run.code).toBe(1);
    expect(run.byId['test-page']!.details.cause).toBe('redirect-loop');
  });

  it('ends in bounded time with a clear cause when the server accepts and never answers', async () => {
    const run = await check(siteArgs(silent.port, '/', TIMEOUT));
    expect(run.code).toBe(1);
    expect(run.byId['test-page']!.summary).toBe('The test page could not be reached: The server test.siths.se did not answer within 1.5 s (TLS handshake).');
    // Skipped at once because of the test page, not run to the deadline against an IdP just as far away.
    expect(run.byId.clock!.status).toBe('skip');
    expect(run.byId.clock!.summary).toBe('Skipped because “SITHS test page” could not be reached.');
    expect(run.byId.clock!.durationMs).toBeLessThan(TIMEOUT);
    expect(run.ms).toBeLessThan(6 * TIMEOUT + 3000);
  });

  it('skips the network checks offline but still reports the proxy setting', async () => {
    const before = site.requests.length;
    const run = await check([...siteArgs(site.port, '/', TIMEOUT), '--offline']);
    expect(run.code).toBe(0);
    expect(Object.values(run.byId).map((c) => `${c.id} ${c.status}`)).toEqual(['clock skip', 'proxy pass', 'test-page skip']);
    expect(site.requests.length).toBe(before);
  });

  it('rejects a --resolve value that does not parse, exit 2', async () => {
    const run = await runBin(['check', 'test-page', '--resolve', 'test.siths.se:443']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HOST:PORT:ADDRESS');
  });
});
