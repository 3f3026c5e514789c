import { describe, expect, it } from 'vitest';
import { PcscError } from '../../src/pcsc/errors.js';
import { explainPcscError } from '../../src/pcsc/explain.js';
import { cardProbe } from '../../src/probes/card.js';
import { pcscServiceProbe } from '../../src/probes/pcsc-service.js';
import { readerProbe } from '../../src/probes/reader.js';
import { runMain, type JsonCheck } from '../helpers/cli.js';
import { recordedPcsc, type Recording } from '../helpers/recorded-pcsc.js';
import { realPlatform } from '../../src/system.js';

const PROBES = [pcscServiceProbe, readerProbe, cardProbe];
const SITHS_ATR = '3B 7F 96 00 00 80 31 80 65 B0 85 59 56 FB 12 0F FE 82 90 00';
const LINUX = { ...realPlatform(), os: 'linux' as const };


async function check(recording: Recording, args: string[] = []): Promise<{ code: number; checks: Record<string, JsonCheck> }> {
  const run = await runMain(['check', 'card', '--format', 'json', ...args], PROBES, { system: { pcsc: recordedPcsc(recording), platform: LINUX } });
  const json = JSON.parse(run.stdout) as { checks: JsonCheck[] };
  return { code: run.code, checks: Object.fromEntries(json.checks.map((c) => [c.id, c])) };
}

const error = (kind: PcscError['kind'], code?: number, extra: Pick<Partial<PcscError>, 'moduleProblem'> = {}): PcscError =>
  new PcscError(kind, `recorded ${kind}`, code, extra.moduleProblem);

describe('pcsc-service', () => {
  it('passes when a context can be established', async () => {
    const { checks } = await check({ readers: [] });
    expect(checks['pcsc-service']).toMatchObject({ status: 'pass', summary: 'The smart card service answers (pcscd).' });
  });

  it('is an error naming the missing PC/SC library and how to install it; the card checks are skipped, not failed', async () => {
    const { code, checks } = await check({ establish: error('module-unavailable', undefined, { moduleProblem: 'library-missing' }) });
    expect(code).toBe(1);
    expect(checks['pcsc-service']!.status).toBe('error');
    expect(checks['pcsc-service']!.summary).toBe("The computer's PC/SC library (libpcsclite.so.1) is missing or cannot be loaded, so card readers and cards cannot be checked.");
    expect(checks['pcsc-service']!.advice).toContain('sudo apt-get install pcscd libpcsclite1');
    expect(checks.reader).toMatchObject({ status: 'skip', details: { skipReason: 'prerequisite', prerequisite: 'pcsc-service' } });
    expect(checks.card!.status).toBe('skip');
    const wrong = await check({ establish: error('module-unavailable', undefined, { moduleProblem: 'wrong-library' }) });
    expect(wrong.checks['pcsc-service']!.summary).toContain('lacks functions card readers need');
  });

  it('never tells anyone to install build tools or rebuild a module, on any platform', () => {
    for (const os of ['win32', 'darwin', 'linux'] as const) {
      for (const moduleProblem of ['library-missing', 'wrong-library', 'ffi-unavailable'] as const) {
        const { summary, advice } = explainPcscError(new PcscError('module-unavailable', 'x', undefined, moduleProblem), os);
        for (const text of [summary.sv, summary.en, advice.sv, advice.en]) {
          expect(text).not.toMatch(/build tools|byggverktyg|npm (re)?build|npm install|xcode|Visual Studio|libpcsclite-dev/i);
          expect(text).not.toBe('');
        }
      }
    }
  });

  it('fails naming the stopped service, with how to start it', async () => {
    const { checks } = await check({ establish: error('no-service', 0x8010001d) });
    expect(checks['pcsc-service']).toMatchObject({ status: 'fail', summary: 'The smart card service pcscd is not running.', details: { pcscError: { kind: 'no-service', code: 'SCARD_E_NO_SERVICE' } } });
    expect(checks['pcsc-service']!.advice).toContain('Start it with the command below.');
    // The command as data: JSON carries it, text shows it on a line of its own.
    expect(checks['pcsc-service']!.commands).toEqual([{ run: 'sudo systemctl start pcscd.socket', platform: 'linux' }]);
  });

  it('fails when access is denied', async () => {
    const { checks } = await check({ establish: error('access-denied', 0x8010006a) });
    expect(checks['pcsc-service']).toMatchObject({ status: 'fail', summary: 'The smart card service (PC/SC) denied access.' });
  });

  it('has platform-specific advice for Windows and macOS', () => {
    const windows = explainPcscError(new PcscError('no-service', 'x', 0x8010001d), 'win32');
    expect(windows.summary.en).toContain('SCardSvr');
    expect(windows.advice.sv).toContain('Sätt i kortläsaren först');
    expect(explainPcscError(new PcscError('module-unavailable', 'x', undefined, 'library-missing'), 'win32').summary.en).toContain('winscard.dll');
    expect(explainPcscError(new PcscError('module-unavailable', 'x', undefined, 'library-missing'), 'darwin').summary.en).toContain('PCSC.framework');
  });
});

describe('reader', () => {
  it('fails with advice when no reader is attached', async () => {
    const { checks } = await check({ readers: [] });
    expect(checks.reader).toMatchObject({ status: 'fail', summary: 'No card reader was found.', details: { cardReaders: 0, virtualReaders: 0 } });
    expect(checks.reader!.advice).toContain('USB');
    expect(checks.card!.status).toBe('skip');
  });

  it('lists virtual readers but does not count them', async () => {
    const { checks } = await check({ readers: [{ name: 'Windows Hello for Business 1', card: 'present', atr: '3B 8D 01 80 FB A0 00 00 03 97 42 54 46 59 03 01 C8' }, { name: 'Microsoft UICC ISO Reader 5ed4 0', card: 'absent' }] });
    expect(checks.reader!.status).toBe('fail');
    expect(checks.reader!.summary).toBe('No card reader was found, only virtual readers that take no card: “Windows Hello for Business 1”, “Microsoft UICC ISO Reader 5ed4 0”.');
    expect(checks.reader!.details.readers.map((r: { kind: string }) => r.kind)).toEqual(['virtual', 'virtual']);
  });

  it('passes with a real reader next to a virtual one, naming the real one', async () => {
    const { checks } = await check({ readers: [{ name: 'Windows Hello for Business 1', card: 'present' }, { name: 'OMNIKEY 3x21 0', card: 'absent' }] });
    expect(checks.reader).toMatchObject({ status: 'pass', summary: 'Card reader attached: “OMNIKEY 3x21 0”.', details: { cardReaders: 1, virtualReaders: 1 } });
  });

  it('shows odd reader names escaped, never breaking the report', async () => {
    const { checks } = await check({ readers: [{ name: 'Läsare\n\u001b[31mröd\u0000', card: 'absent' }] });
    expect(checks.reader!.summary).toBe('Card reader attached: “Läsare\\u000a\\u001b[31mröd\\u0000”.');
    const text = await runMain(['check', 'reader'], PROBES, { system: { pcsc: recordedPcsc({ readers: [{ name: 'Läsare\n\u001b[31mx', card: 'absent' }] }), platform: LINUX } });
    expect(text.stdout).not.toContain('\u001b[31m');
  });

  it('is an error, not a crash, when listing times out', async () => {
    const { checks } = await check({ list: error('timeout', undefined) });
    expect(checks.reader!.status).toBe('error');
    expect(checks.reader!.advice).toContain('pcscd');
  });
});

describe('card', () => {
  const reader = 'OMNIKEY 3x21 0';

  it('fails with advice when the reader is empty', async () => {
    const { checks } = await check({ readers: [{ name: reader, card: 'absent' }] });
    expect(checks.card).toMatchObject({ status: 'fail', summary: 'No card in the card reader.', details: { cards: [] } });
    expect(checks.card!.advice).toContain('chip first');
  });

  it('passes for a known card, reporting its ATR and type in the CardProbeDetails shape', async () => {
    const { checks } = await check({ readers: [{ name: reader, card: 'present', atr: SITHS_ATR }] });
    expect(checks.card!.status).toBe('pass');
    expect(checks.card!.summary).toBe(`Card in “${reader}”: Thales IDPrime 940 (a Thales IDPrime card; whether it is a SITHS card shows in card-cert), ATR ${SITHS_ATR}.`);
    expect(checks.card!.details.cards).toEqual([{ reader, atr: SITHS_ATR, cardType: 'Thales IDPrime 940', family: 'idprime', state: 'present', protocol: 'T=1' }]);
  });

  it('warns about an unknown card and about a bank card', async () => {
    const unknown = await check({ readers: [{ name: reader, card: 'present', atr: '3B 02 99 51' }] });
    expect(unknown.checks.card).toMatchObject({ status: 'warn', summary: `Unknown card in “${reader}” (ATR 3B 02 99 51).` });
    expect(unknown.checks.card!.advice).toContain('SITHS card');
    const bank = await check({ readers: [{ name: reader, card: 'present', atr: '3B 7D 96 00 00 80 31 80 65 B0 A3 11 00 C8 83 00 00 00' }] });
    expect(bank.checks.card!.status).toBe('warn');
    expect(bank.checks.card!.summary).toContain('a bank card with BankID, not a SITHS card');
  });

  it('fails for a mute card, whether the service or the connect says so', async () => {
    const flagged = await check({ readers: [{ name: reader, card: 'mute', atr: '' }] });
    expect(flagged.checks.card).toMatchObject({ status: 'fail', summary: `The card in “${reader}” does not answer (ATR none).` });
    expect(flagged.checks.card!.advice).toContain('another USB port');
    const unpowered = await check({ readers: [{ name: reader, card: 'present', atr: SITHS_ATR, connect: error('mute-card', 0x80100067) }] });
    expect(unpowered.checks.card!.status).toBe('fail');
    expect(unpowered.checks.card!.details.cards[0].state).toBe('mute');
  });

  it('reports a card held by another program as present', async () => {
    const { checks } = await check({ readers: [{ name: reader, card: 'present', atr: SITHS_ATR, connect: error('sharing-violation', 0x8010000b) }] });
    expect(checks.card!.status).toBe('pass');
    expect(checks.card!.details.cards[0]).toMatchObject({ state: 'present', inUse: true });
    expect(checks.card!.notes[0]).toContain('in use by another program');
  });

  it('treats a reader that vanished between listing and connecting as empty', async () => {
    const pcsc = recordedPcsc({ readers: [{ name: reader, card: 'present', atr: SITHS_ATR, connect: error('unknown-reader', 0x80100009) }] });
    const run = await runMain(['check', 'card', '--format', 'json'], PROBES, { system: { pcsc, platform: LINUX } });
    const card = (JSON.parse(run.stdout) as { checks: JsonCheck[] }).checks.find((c) => c.id === 'card')!;
    expect(pcsc.connects).toEqual([reader]);
    expect(card).toMatchObject({ status: 'fail', summary: 'No card in the card reader.' });
  });

  it('reports each of several cards', async () => {
    const { checks } = await check({ readers: [{ name: 'A', card: 'present', atr: '3B 02 99 51' }, { name: 'B', card: 'present', atr: SITHS_ATR }, { name: 'C', card: 'absent' }] });
    expect(checks.card).toMatchObject({ status: 'pass', summary: '2 cards: an unknown card in “A”, Thales IDPrime 940 in “B”.' });
    expect(checks.card!.details.cards.map((c: { reader: string }) => c.reader)).toEqual(['A', 'B']);
    expect(checks.card!.notes).toHaveLength(2);
    const withMute = await check({ readers: [{ name: 'A', card: 'mute' }, { name: 'B', card: 'present', atr: SITHS_ATR }] });
    expect(withMute.checks.card!.status).toBe('warn');
  });

  it('reports an empty or too-long ATR as unknown, naming the problem', async () => {
    const { checks } = await check({ readers: [{ name: 'A', card: 'present', atr: '' }, { name: 'B', card: 'present', atr: `3B 7F ${'11 '.repeat(38)}` }] });
    expect(checks.card!.details.cards.map((c: { atrProblem: string }) => c.atrProblem)).toEqual(['empty', 'too-long']);
    expect(checks.card!.status).toBe('warn');
  });

  it('speaks Swedish', async () => {
    const { checks } = await check({ readers: [{ name: reader, card: 'present', atr: SITHS_ATR }] }, ['--lang', 'sv']);
    expect(checks.card!.summary).toBe(`Kort i ”${reader}”: Thales IDPrime 940 (ett Thales IDPrime-kort; om det är ett SITHS-kort visar kontrollen card-cert), ATR ${SITHS_ATR}.`);
    expect(checks['pcsc-service']!.summary).toBe('Smartkortstjänsten svarar (pcscd).');
    const empty = await check({ readers: [] }, ['--lang', 'sv']);
    expect(empty.checks.reader!.summary).toBe('Ingen kortläsare hittades.');
  });
});
