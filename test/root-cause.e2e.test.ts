import { expect, it } from 'vitest';
import type { RenderedReport } from '../src/report/report.js';
import { runChild } from './helpers/children.js';
import { BIN } from './helpers/cli.js';
import { describeWith } from './helpers/prereq.js';

/**
 * The network really down: siths-doctor in a network namespace with only
 * loopback (`unshare -n`), so name lookups and connections fail the way
 * they do on a ward PC with the cable out. Nothing leaves the namespace.
 */
function runOffTheNetwork(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const userNamespace = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  return runChild('unshare', [...userNamespace, '--net', process.execPath, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', LANG: 'C.UTF-8', COLUMNS: '60' },
  });
}

const NETWORK_CHECKS = ['check', 'proxy', 'idp-tls', 'test-page', 'clock', '--no-proxy', '--timeout', '3000'];

describeWith('root cause with the network really down (unshare -n)', [{ need: 'unshare', debianPackage: 'util-linux' }], () => {
  it('JSON: one root cause, the other network checks because of it, every outcome kept', async () => {
    const run = await runOffTheNetwork([...NETWORK_CHECKS, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as RenderedReport;
    expect(report.rootCauses).toHaveLength(1);
    const [cause] = report.rootCauses;
    expect(cause!.check).toBe('idp-tls');
    expect(['dns', 'network']).toContain(cause!.cause);
    expect([...cause!.because].sort()).toEqual(['clock', 'test-page']);
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId['test-page']).toMatchObject({ status: 'fail', because: 'idp-tls' });
    expect(byId.clock).toMatchObject({ because: 'idp-tls' });
  }, 30_000);

  for (const [lang, whatToDo, cause, because] of [
    ['en', 'What to do:', /This computer cannot (look up addresses on|reach) the\s+(network|internet)/, /because of “TLS to the login\s+service”/],
    ['sv', 'Gör så här:', /Datorn (kan inte slå upp adresser|når inte ut) på\s+nätet/, /på grund av ”TLS mot\s+inloggningstjänsten”/],
  ] as const) {
    it(`text (${lang}): one piece of advice for the network, numbered, and nothing about --timeout`, async () => {
      const run = await runOffTheNetwork([...NETWORK_CHECKS, '--lang', lang]);
      expect(run.code).toBe(1);
      const advice = run.stdout.slice(run.stdout.indexOf(whatToDo));
      expect(advice.match(/^\s+\d+\. /gm)).toEqual(['  1. ']);
      expect(advice).toMatch(cause);
      expect(run.stdout).toMatch(because);
      expect(run.stdout).not.toMatch(/--timeout|--verbose/);
      for (const line of run.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    }, 30_000);
  }
});
