import { describe, expect, it } from 'vitest';
import type { CardCertDetails } from '../src/x509/outcome.js';
import { compareVersions, FACTS } from '../src/netid/facts.js';
import type { NetidInstallation } from '../src/netid/types.js';
import { cardKindsFromCardCert, judge } from '../src/netid/verdict.js';

const app = (version: string, pkg: 'sac-pkcs11' | 'md' = 'sac-pkcs11'): NetidInstallation => ({
  product: 'siths-eid',
  productName: 'SITHS eID',
  version,
  package: pkg,
  foundBy: ['uninstall-entry'],
});
const sac: NetidInstallation = { product: 'sac', productName: 'SafeNet Authentication Client (SAC)', version: '10.8.1050.0', pkcs11Library: 'C:\\WINDOWS\\System32\\eTPKCS11.dll', foundBy: ['library-file'] };
const enterprise: NetidInstallation = { product: 'enterprise', productName: 'Net iD Enterprise', version: '6.8.1.2', pkcs11Library: 'C:\\Program Files\\Net iD\\iidp11.dll', foundBy: ['registry'] };
const client: NetidInstallation = { product: 'client', productName: 'Net iD Client', version: '1.4.1.2', pkcs11Library: 'C:\\Program Files\\Net iD\\Client\\netid-pkcs11.dll', foundBy: ['registry'] };

describe('card software verdict, per card family', () => {
  it('an Efos card with Net iD Client passes, and Net iD Client is the library asked', () => {
    const v = judge([client, app('2.0.8481.1'), sac], ['efos'], 'windows');
    expect(v.status).toBe('pass');
    expect(v.summary.en).toBe('Efos cards: Net iD Client 1.4.1.2.');
    expect(v.primary).toBe(client);
  });

  it('a SITHS card with only Net iD Client warns: the app is what Inera supports', () => {
    const v = judge([client], ['siths'], 'windows');
    expect(v.status).toBe('warn');
    expect(v.summary.en).toContain('For SITHS cards there is only Net iD Client, not the SITHS eID app');
  });

  it('a known Efos card with Net iD Enterprise passes (Net iD is the Efos client); an unknown card warns', () => {
    expect(judge([enterprise], ['efos'], 'windows').status).toBe('pass');
    expect(judge([enterprise], ['siths', 'efos'], 'windows').status).toBe('warn');
  });

  it('warns for two app packages at once, and for the MD package next to Net iD Enterprise, with sources', () => {
    const mixed = judge([app('2.0.8481.1'), app('2.0.8481.1', 'md'), sac], ['siths'], 'windows');
    expect(mixed.status).toBe('warn');
    expect(mixed.summary.en).toContain('Several packages of the SITHS eID app are installed at once');
    expect(mixed.facts).toContain('no-mixing');
    const md = judge([app('2.0.8481.1', 'md'), enterprise], ['siths'], 'windows');
    expect(md.status).toBe('warn');
    expect(md.facts).toEqual(expect.arrayContaining(['md-not-with-telia', 'md-certprop-off']));
  });

  it('fails with nothing installed, and names what to install for each family', () => {
    const v = judge([], ['siths', 'efos'], 'windows');
    expect(v.status).toBe('fail');
    expect(v.advice!.en).toContain('SITHS eID app (Windows: version 2.0.8481 or later');
    expect(v.advice!.en).toContain('For Efos cards: ask IT to install Net iD Client.');
  });

  it('reads the card family from card-cert: SITHS e-id and older SITHS are SITHS, Efos is Efos', () => {
    // Only the fields the reading looks at; the rest of card-cert's details do not matter here.
    const result = (families: string[]): CardCertDetails => ({ certificates: families.map((family) => ({ readable: true, family })) }) as unknown as CardCertDetails;
    expect(cardKindsFromCardCert(result(['siths-e-id', 'siths-e-id']))).toEqual(['siths']);
    expect(cardKindsFromCardCert(result(['efos']))).toEqual(['efos']);
    expect(cardKindsFromCardCert(result(['other']))).toBeUndefined();
    expect(cardKindsFromCardCert(undefined)).toBeUndefined();
  });

  it('compares versions numerically and every fact has a source and a confidence', () => {
    expect(compareVersions('2.0.8481.28506', '2.0.8481')).toBe(1);
    expect(compareVersions('2.0.10000', '2.0.8481')).toBe(1);
    expect(compareVersions('1.9', '2.0')).toBe(-1);
    for (const fact of Object.values(FACTS)) {
      expect(fact.source).toMatch(/^https:\/\//);
      expect(['published', 'inferred', 'unconfirmed']).toContain(fact.confidence);
    }
  });
});
