import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractPairs, otherShapes } from '../scripts/strings.mjs';

/**
 * Texts that are rightly the same in Swedish and English: product names,
 * protocol names, symbols. Anything else identical is a text someone forgot
 * to translate.
 */
const SAME_IN_BOTH = new Set([
  'Proxy', // the check's title; "proxy" is the Swedish word too
  'OK',
  'DNS',
  'TCP',
  'CONNECT',
  'TLS',
  'id', // a column heading of list-checks: the check id
  '–',
  'pkcs11js: {inspection.message}', // a library's own message, quoted
  '{timeOf(f.notBefore)} – {timeOf(f.notAfter)}', // two dates
]);

const pairs = extractPairs();

describe('every Swedish/English pair (npm run strings)', () => {
  it('finds the pairs of every kind, in every folder that speaks to users', () => {
    expect(pairs.length).toBeGreaterThan(500);
    const files = new Set(pairs.map((p) => p.file));
    for (const file of ['src/probes/card.ts', 'src/report/words.ts', 'src/cli/help-texts.ts', 'src/report/root-cause.ts', 'src/cli/common.ts']) {
      expect(files, file).toContain(file);
    }
    // The help texts and the report's words are tables of msg pairs.
    expect(pairs).toContainEqual(expect.objectContaining({ file: 'src/cli/help-texts.ts', sv: 'visa hjälpen', en: 'show this help' }));
    expect(pairs).toContainEqual(expect.objectContaining({ file: 'src/report/words.ts', sv: 'Gör så här:', en: 'What to do:' }));
  });

  it('finds every text as a msg(sv, en) pair: no per-language table, { sv, en } literal or ternary on the language', () => {
    expect(otherShapes()).toEqual([]);
  });

  it('has no pair with one side empty', () => {
    const halfEmpty = pairs.filter((p) => (p.sv.trim() === '') !== (p.en.trim() === ''));
    expect(halfEmpty).toEqual([]);
  });

  it('has no untranslated pair (the same text in both languages) but the known names', () => {
    const same = pairs.filter((p) => p.sv.trim() !== '' && p.sv === p.en && !SAME_IN_BOTH.has(p.sv));
    expect(same).toEqual([]);
  });

  it('never asks the caller, in advice, to run siths-doctor with an option (that is the agent hint)', () => {
    // Options a caller would have to add; advice may still name one the person already gave (--ca-file, --test-url).
    const asked = /--(verbose|timeout|pkcs11-module|proxy|no-proxy|resolve|show-personal-data|format|lang)\b/;
    const advice = pairs.filter((p) => /(^|\.)advice[^.]*:\d+$|ADVICE/.test(p.key));
    expect(advice.length).toBeGreaterThan(50);
    // Advice about an option the person gave ("without --pkcs11-module …", "check --resolve if you gave it") is fine.
    const aboutGiven = new Set(['src/probes/netid.ts fromOption', 'src/tls/chain-verdict.ts judgeChain']);
    const offending = advice.filter((p) => (asked.test(p.en) || asked.test(p.sv)) && !aboutGiven.has(`${p.file} ${p.key.split('.')[0]}`));
    expect(offending.map((p) => `${p.file} ${p.key}: ${p.en}`)).toEqual([]);
  });

  it('uses one kind of quotation marks per language: ”…” in Swedish, “…” in English', () => {
    expect(pairs.filter((p) => /["“]/.test(p.sv)).map((p) => `${p.file} ${p.key}: ${p.sv}`)).toEqual([]);
    expect(pairs.filter((p) => /"/.test(p.en)).map((p) => `${p.file} ${p.key}: ${p.en}`)).toEqual([]);
  });

  it('prints a table a translator can read: TSV by default, markdown on request', () => {
    const script = fileURLToPath(new URL('../scripts/strings.mjs', import.meta.url));
    const tsv = execFileSync(process.execPath, [script], { encoding: 'utf8' }).replace(/\n$/, '').split('\n');
    expect(tsv[0]).toBe('file\tkey\tsv\ten');
    expect(tsv.length).toBe(pairs.length + 1);
    expect(tsv.every((line) => line.split('\t').length === 4)).toBe(true);
    const md = execFileSync(process.execPath, [script, '--markdown'], { encoding: 'utf8' });
    expect(md.startsWith('| file | key | sv | en |\n|---|---|---|---|\n')).toBe(true);
  });
});
