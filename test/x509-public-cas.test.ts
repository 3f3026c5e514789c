import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CA_TABLE, knownCaOf, splitTestMarker } from '../src/x509/ca-table.js';
import { splitCertificateFile, type CertificateSet } from '../src/x509/inputs.js';
import { analyseSet, isAnalysed } from '../src/x509/judge.js';
import { runBin } from './helpers/cli.js';

/** Real public CA certificates, fixtures/public/ (sources in fixtures/public/SOURCES.md). */
const PUBLIC = new URL('../fixtures/public/', import.meta.url);
const file = (name: string): string => new URL(name, PUBLIC).pathname;

function analysed(...names: string[]) {
  const set: CertificateSet = { source: 'files', inputs: names.flatMap((n) => splitCertificateFile(readFileSync(file(n)), n)) };
  // A fixed moment inside every certificate's validity: the classification must not depend on today.
  return analyseSet(set, new Date('2024-06-01T00:00:00Z')).map((item) => {
    if (!isAnalysed(item)) throw new Error(`${item.origin.kind === 'file' ? item.origin.file : ''}: ${item.problem}`);
    return item.analysis;
  });
}

describe('the CA table against real public CA certificates', () => {
  const cases: [file: string, family: string, test: boolean, marker: string | undefined, issuedFor: string][] = [
    ['siths-e-id-root-ca-v2.pem', 'siths-e-id', false, undefined, 'root'],
    ['siths-e-id-function-ca-v1.pem', 'siths-e-id', false, undefined, 'function'],
    ['test-siths-e-id-root-ca-v2.pem', 'siths-e-id', true, 'TEST', 'root'],
    ['test-siths-e-id-function-ca-v1.pem', 'siths-e-id', true, 'TEST', 'function'],
    ['efos-swedish-public-sector-function-ca-v3.pem', 'efos', false, undefined, 'function'],
    ['efos-sat-swedish-public-sector-function-ca-v3-sat.pem', 'efos', true, 'SAT', 'function'],
    ['expitrust-eid-ca-v4.pem', 'other', false, undefined, 'unknown'],
  ];
  for (const [name, family, test, marker, issuedFor] of cases) {
    it(`${name}: ${family}, ${test ? `test (${marker})` : 'production'}, ${issuedFor}`, () => {
      const [a] = analysed(name);
      expect(a).toMatchObject({ role: 'ca', family, test, issuedFor });
      expect(a!.testMarker).toBe(marker);
    });
  }

  it('a whole real chain (function CA with its root) classifies both, and the chain is SITHS production', () => {
    const [fn, root] = analysed('siths-e-id-function-ca-v1.pem', 'siths-e-id-root-ca-v2.pem');
    expect(fn).toMatchObject({ family: 'siths-e-id', test: false, issuedFor: 'function', selfSigned: false });
    expect(root).toMatchObject({ family: 'siths-e-id', test: false, issuedFor: 'root', selfSigned: true });
  });

  it('the Efos CA carries the organisation and CPS the table cites', () => {
    const [efos] = analysed('efos-swedish-public-sector-function-ca-v3.pem');
    const o = efos!.facts.subject.find((x) => x.label === 'O')?.value;
    expect(o).toBe('Swedish Social Insurance Agency');
    expect(efos!.facts.issuer.find((x) => x.label === 'CN')?.value).toBe('Swedish Public Sector Internal Root CA v1');
  });
});

describe('the CA table itself', () => {
  it('has a source for every row', () => {
    for (const row of CA_TABLE) expect(row.source, String(row.commonName)).toMatch(/\w/);
  });

  it('knows every CA name Inera lists, in production and test dress', () => {
    const names: [string, string, string][] = [
      ['SITHS e-id Root CA v2', 'siths-e-id', 'root'],
      ['SITHS e-id Person HSA-id 3 CA v1', 'siths-e-id', 'person'],
      ['SITHS e-id Person ID 3 CA v1', 'siths-e-id', 'person'],
      ['SITHS e-id Person ID Mobile CA v1', 'siths-e-id', 'person'],
      ['SITHS e-id Person HSA-id 2 CA v1', 'siths-e-id', 'person'],
      ['SITHS e-id Person ID 2 CA v1', 'siths-e-id', 'person'],
      ['SITHS e-id Function CA v1', 'siths-e-id', 'function'],
      ['SITHS Root CA v1', 'siths-legacy', 'root'],
      ['SITHS Type 1 CA v1', 'siths-legacy', 'person'],
      ['SITHS Type 2 CA v1', 'siths-legacy', 'unknown'],
      ['SITHS Type 3 CA v1', 'siths-legacy', 'function'],
      ['SITHS CA v3', 'siths-legacy', 'unknown'],
    ];
    for (const [cn, family, use] of names) {
      for (const [dressed, marker] of [
        [cn, undefined],
        [`TEST ${cn}`, 'TEST'],
        [`${cn} PP`, 'PP'],
        [`SYSTEMTEST ${cn}`, 'SYSTEMTEST'],
      ] as const) {
        const known = knownCaOf(dressed, 'Inera AB');
        expect(known?.ca, dressed).toMatchObject({ family, use });
        expect(known?.marker, dressed).toBe(marker);
      }
    }
    // Inera's older test CAs carry TEST inside the name (public webcert code).
    expect(knownCaOf('SITHS CA TEST v3', 'SITHS CA')).toMatchObject({ ca: { family: 'siths-legacy' }, marker: 'TEST' });
    expect(knownCaOf('Swedish Public Sector Internal Root CA SAT v1', 'Swedish Social Insurance Agency')).toMatchObject({ ca: { family: 'efos', use: 'root' }, marker: 'SAT' });
    expect(knownCaOf('Swedish Public Sector Person 3 CA v1', 'Swedish Social Insurance Agency')).toMatchObject({ ca: { family: 'efos', use: 'person' } });
  });

  it('does not take look-alikes for SITHS or Efos, nor PP/SAT words elsewhere for test markers', () => {
    expect(knownCaOf('Swedish Public Sector Function CA v3', 'Evil Corp')).toBeUndefined();
    expect(knownCaOf('My SITHS e-id Root CA v2', 'Inera AB')).toBeUndefined();
    expect(knownCaOf('Polisen ID-kort CA', 'Polismyndigheten')).toBeUndefined();
    expect(splitTestMarker('SAT Systems CA v1')).toEqual({ bare: 'SAT Systems CA v1' });
    expect(splitTestMarker('SITHS Type 1 CA v1 PP')).toEqual({ bare: 'SITHS Type 1 CA v1', marker: 'PP' });
  });
});

describe('siths-doctor cert --cert on the real public CA certificates', () => {
  it('a real Efos function CA is named as Efos, and no login certificate is found among CA certificates', async () => {
    const run = await runBin(['cert', '--cert', file('efos-swedish-public-sector-function-ca-v3.pem'), '--format', 'json']);
    const check = (JSON.parse(run.stdout) as { checks: { id: string; status: string; summary: string; details: { certificates: { family: string; issuedFor: string }[] } }[] }).checks.find(
      (c) => c.id === 'card-cert',
    )!;
    expect(check.status).toBe('fail');
    expect(check.summary).toBe('No authentication certificate, only 1 CA certificate.');
    expect(check.details.certificates[0]).toMatchObject({ family: 'efos', issuedFor: 'function' });
  });

  it('the real TEST SITHS chain is listed as TEST SITHS e-id in the text report', async () => {
    const run = await runBin(['cert', '--cert', file('test-siths-e-id-function-ca-v1.pem'), '--cert', file('test-siths-e-id-root-ca-v2.pem')]);
    expect(run.stdout).toContain('TEST SITHS e-id');
    expect(run.stdout).toContain('“TEST SITHS e-id Function CA v1”');
  });
});
