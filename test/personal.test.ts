import { describe, expect, it } from 'vitest';
import { personal, redactDeep, redactText } from '../src/personal.js';

describe('personal data', () => {
  const text = `Certificate for ${personal('Tolvan Tolvansson', 'name')} (${personal('SE2321000016-T0LV', 'hsa-id')}, ${personal('191212121212', 'personal-number')}), card ${personal('9752269000000001234', 'card-serial')}`;

  it('is redacted by default, keeping the organisation part of an HSA-id', () => {
    expect(redactText(text, false, 'en')).toBe(
      'Certificate for [name hidden] (SE2321000016-****, [personal number hidden]), card [card number hidden]',
    );
    expect(redactText(text, false, 'sv')).toBe('Certificate for [namn dolt] (SE2321000016-****, [personnummer dolt]), card [kortnummer dolt]');
  });

  it('is shown, without markers, with --show-personal-data', () => {
    expect(redactText(text, true, 'en')).toBe('Certificate for Tolvan Tolvansson (SE2321000016-T0LV, 191212121212), card 9752269000000001234');
  });

  it('catches unmarked HSA-ids and personal numbers as a safety net', () => {
    expect(redactText('serialNumber=SE2321000016-ABC123', false, 'en')).toBe('serialNumber=SE2321000016-****');
    expect(redactText('pnr 19121212-1212 and 121212-1212 and 191212121212', false, 'en')).toBe(
      'pnr [personal number hidden] and [personal number hidden] and [personal number hidden]',
    );
  });

  it('leaves numbers that are not personal numbers alone', () => {
    const harmless = 'started 202611260348 serial 1234567890 port 35963 2026-11-26T03:48:46Z duration 191212121213';
    expect(redactText(harmless, false, 'en')).toBe(harmless);
  });

  it('cannot be forged by a value that contains the markers itself', () => {
    const hostile = personal('\uE002\uE000name\uE001evil\uE002', 'other');
    expect(redactText(`x ${hostile} y`, false, 'en')).toBe('x [hidden] y');
  });

  it('is applied to every string in a report, keys included', () => {
    const report = { a: [personal('Anna', 'name'), { [personal('SE2321000016-X1', 'hsa-id')]: personal('Anna', 'name') }], n: 3, d: null };
    expect(redactDeep(report, false, 'en')).toEqual({ a: ['[name hidden]', { 'SE2321000016-****': '[name hidden]' }], n: 3, d: null });
  });

  it('catches personal numbers and HSA-ids next to hyphens and underscores, as in file names', () => {
    expect(redactText('/certs/anna-197001011233-auth.pem', false, 'en')).toBe('/certs/anna-[personal number hidden]-auth.pem');
    expect(redactText('x_SE2321000016-AB12_y.pem', false, 'en')).toBe('x_SE2321000016-****_y.pem');
    expect(redactText('TSTNMT2321000156-1019 HSATEST2-DGQ T-SERVICES-SE165565594230-1110 HSASERVICES-100S', false, 'en')).toBe(
      '[hidden] [hidden] [hidden] [hidden]',
    );
  });

  it('never shows a password in a URL, and its user only on request', () => {
    expect(redactText('https://anna:hemligt@test.example/', false, 'en')).toBe('https://****:****@test.example/');
    expect(redactText('https://anna:hemligt@test.example/', true, 'en')).toBe('https://anna:****@test.example/');
    expect(redactText('see https://test.siths.se/ ok', false, 'en')).toBe('see https://test.siths.se/ ok');
  });
});
