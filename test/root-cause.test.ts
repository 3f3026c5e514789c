import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/index.js';
import type { RenderedReport } from '../src/report/report.js';
import { findRootCauses, type CauseInput } from '../src/report/root-cause.js';
import { recordedReport as recorded, resultsOf, runReport } from './helpers/reports.js';

const inputs = (r: RenderedReport): CauseInput[] => r.checks.map((c) => ({ id: c.id, status: c.status, details: c.details }));

describe('root cause across checks, on recorded runs', () => {
  it('network down (no DNS): one cause for TLS, the test page and the clock; the card chain has its own', () => {
    const causes = findRootCauses(inputs(recorded('network-down')));
    expect(causes).toEqual([
      { check: 'pcsc-service', cause: 'prerequisite', because: ['reader', 'card', 'card-cert'] },
      { check: 'netid', cause: 'prerequisite', because: ['netid-token'] },
      { check: 'idp-tls', cause: 'dns', because: ['clock', 'test-page'] },
    ]);
  });

  it('no route to the servers: a network cause, not DNS', () => {
    expect(findRootCauses(inputs(recorded('no-route')))).toEqual([{ check: 'idp-tls', cause: 'network', because: ['clock', 'test-page'] }]);
  });

  it('a silent proxy: the proxy is the cause, and the clock that timed out waiting follows from it', () => {
    expect(findRootCauses(inputs(recorded('silent-proxy')))).toEqual([{ check: 'idp-tls', cause: 'proxy', because: ['clock', 'test-page'] }]);
  });

  it('names no root cause when failures have different reasons', () => {
    const results: CauseInput[] = [
      { id: 'idp-tls', status: 'fail', details: { hosts: [{ error: { kind: 'cert-untrusted' }, route: { mode: 'direct' } }] } },
      { id: 'test-page', status: 'fail', details: { url: 'https://test.siths.se/', cause: 'dns' } },
    ];
    expect(findRootCauses(results)).toEqual([]);
    // One host reachable means the network works: no network cause.
    const mixed: CauseInput[] = [
      { id: 'idp-tls', status: 'fail', details: { hosts: [{ error: { kind: 'dns' } }, { status: 'pass' }] } },
      { id: 'test-page', status: 'fail', details: { url: 'https://test.siths.se/', cause: 'dns' } },
    ];
    expect(findRootCauses(mixed)).toEqual([]);
  });

  it('a failing proxy check is the root of the network checks that failed at the proxy', () => {
    const results: CauseInput[] = [
      { id: 'proxy', status: 'fail', details: { targets: [] } },
      { id: 'idp-tls', status: 'fail', details: { hosts: [{ error: { kind: 'proxy-refused', at: 'proxy' }, route: { mode: 'http' } }] } },
      { id: 'test-page', status: 'fail', details: { url: 'https://test.siths.se/', cause: 'proxy-refused' } },
    ];
    expect(findRootCauses(results)).toEqual([{ check: 'proxy', cause: 'proxy', because: ['idp-tls', 'test-page'] }]);
  });

  it('a missing card explains the Net iD token check that uses it', () => {
    const results: CauseInput[] = [
      { id: 'reader', status: 'pass' },
      { id: 'card', status: 'fail' },
      { id: 'netid', status: 'pass' },
      { id: 'netid-token', status: 'fail' },
      { id: 'card-cert', status: 'skip', details: { skipReason: 'prerequisite', prerequisite: 'card' } },
    ];
    expect(findRootCauses(results)).toEqual([{ check: 'card', cause: 'prerequisite', because: ['netid-token', 'card-cert'] }]);
  });

  it('a check skipped on request or offline is nobody\'s consequence', () => {
    const results: CauseInput[] = [
      { id: 'card', status: 'fail' },
      { id: 'card-cert', status: 'skip', details: { skipReason: 'requested' } },
      { id: 'clock', status: 'skip', details: { skipReason: 'offline' } },
    ];
    expect(findRootCauses(results)).toEqual([]);
  });
});

describe('root cause in the report', () => {
  const report = runReport(resultsOf(recorded('network-down')), 300);
  const base = { showPersonalData: false, colorLevel: 0 as const, verbose: false };

  it('JSON keeps every check\'s own outcome and names the root cause', () => {
    const json = JSON.parse(renderReport(report, { ...base, format: 'json', lang: 'en' })) as RenderedReport;
    expect(json.rootCause).toBe('pcsc-service');
    expect(json.rootCauses.map((c) => c.check)).toEqual(['pcsc-service', 'netid', 'idp-tls']);
    const byId = Object.fromEntries(json.checks.map((c) => [c.id, c]));
    expect(byId['test-page']).toMatchObject({ status: 'fail', because: 'idp-tls' });
    expect(byId['test-page']!.summary).toMatch(/could not be reached/);
    expect(byId.clock).toMatchObject({ status: 'error', because: 'idp-tls' });
    expect(byId['idp-tls']!.because).toBeUndefined();
  });

  it('text says each cause once, first, in a numbered list, and marks the rest "because of"', () => {
    const text = renderReport(report, { ...base, format: 'text', lang: 'en' });
    const whatToDo = text.slice(text.indexOf('What to do:'));
    expect(whatToDo.match(/^\s+\d+\./gm)).toHaveLength(3);
    expect(whatToDo).toMatch(/3\. \[✗\] This computer cannot look up addresses on the network \(DNS\)\./);
    expect(whatToDo).not.toMatch(/test page/i);
    expect(text).toMatch(/\[✗\] SITHS test page\s+Failed because of “TLS to the login service”\./);
    expect(text).toMatch(/\[\?\] Computer clock\s+Could not be checked because of “TLS to the login service”\./);
    const sv = renderReport(report, { ...base, format: 'text', lang: 'sv' });
    expect(sv).toMatch(/Datorn kan inte slå upp adresser på nätet \(DNS\)\./);
  });
});
