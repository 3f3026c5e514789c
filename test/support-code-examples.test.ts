import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBES } from '../src/probes/index.js';
import { cardCert } from '../src/probes/card-cert.js';
import { decodeSupportCode, encodeSupportCode } from '../src/support-code.js';
import { runMain } from './helpers/cli.js';
import { testPki } from './helpers/pki.js';
import { fixedClock } from './helpers/system.js';

/** Anything shaped like a support code: groups of three phone-safe symbols, the last one shorter. */
const CODE_LIKE = /\b[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{1,3}(?:-[0-9A-Z]{1,3})?\b/g;

function codesIn(text: string): string[] {
  return [...new Set(text.match(CODE_LIKE) ?? [])];
}

describe('every example support code decodes', () => {
  it('in the help of every command, in both languages', async () => {
    const commands = ['', 'check', 'readers', 'cert', 'tls', 'list-checks', 'explain'];
    const found: string[] = [];
    for (const lang of ['sv', 'en']) {
      for (const command of commands) {
        const run = await runMain([...(command ? [command] : []), '--help', '--lang', lang], PROBES);
        expect(run.code, `${command} --help`).toBe(0);
        found.push(...codesIn(run.stdout));
      }
    }
    expect(found.length).toBeGreaterThan(0);
    for (const code of new Set(found)) expect(() => decodeSupportCode(code), code).not.toThrow();
  });

  it('in the README and the docs', () => {
    const docs = ['../README.md', ...readdirSync(new URL('../docs/', import.meta.url)).map((f) => `../docs/${f}`)];
    const found = codesIn(docs.map((d) => readFileSync(new URL(d, import.meta.url), 'utf8')).join('\n'));
    expect(found.length).toBeGreaterThan(0);
    for (const code of found) expect(() => decodeSupportCode(code), code).not.toThrow();
  });

  it('a run with --cert says "in the files" in the report and in explain, in both languages', async () => {
    const pki = testPki();
    const clock = { clock: fixedClock(new Date(pki.manifest.generatedAt)) };
    const run = await runMain(['check', 'card-cert', '--cert', pki.path('card-hsa-auth-valid.pem'), '--format', 'json'], [cardCert], { system: clock });
    const report = JSON.parse(run.stdout);
    expect(report.checks[0].title).toBe('Certificates in the files');
    expect(decodeSupportCode(report.summary.supportCode).certificates).toBe('files');
    const en = await runMain(['explain', report.summary.supportCode, '--lang', 'en'], PROBES);
    expect(en.stdout).toContain('Certificates in the files');
    expect(en.stdout).not.toContain('on the card');
    const sv = await runMain(['explain', report.summary.supportCode, '--lang', 'sv'], PROBES);
    expect(sv.stdout).toContain('Certifikat i filerna');
    // Without --cert, the card.
    const card = encodeSupportCode(new Map([['card-cert', 'pass']]));
    expect((await runMain(['explain', card], PROBES)).stdout).toContain('Certificates on the card');
  });
});
