import { describe, expect, it } from 'vitest';
import { msg } from '../src/i18n/index.js';
import { tokenOutcome } from '../src/netid/token-outcome.js';
import { markNames } from '../src/pkcs11/certificates.js';
import type { InspectionReport, SlotReport } from '../src/pkcs11/protocol.js';
import { redactText } from '../src/personal.js';
import { testPki } from './helpers/pki.js';

const library = { manufacturer: 'TEST', description: 'Recorded PKCS#11 library', libraryVersion: '1.0', cryptokiVersion: '2.40' };
const who = msg('Net iD Client', 'Net iD Client');

function slot(overrides: Partial<SlotReport['token']> = {}, certificates: SlotReport['certificates'] = []): SlotReport {
  return {
    id: '0x1',
    description: 'Identiv uTrust 2700 R 0',
    manufacturer: 'TEST',
    tokenPresent: true,
    removable: true,
    hardware: true,
    token: { label: 'SITHS eID', manufacturer: 'TEST', model: 'IDPrime', serialNumber: '0123456789ABCDEF', flags: 0x40d, initialized: true, userPinLocked: false, userPinFinalTry: false, ...overrides },
    certificates,
  };
}
const report = (...slots: SlotReport[]): InspectionReport => ({ library, slots, slotCount: slots.length });
const certificate = { label: 'Legitimering', id: '01', der: testPki().der('card-hsa-auth-valid').toString('base64'), size: 1000 };

describe('tokenOutcome (recorded middleware answers)', () => {
  it('warns when the PIN is locked or on its last try, whatever the certificates', () => {
    const locked = tokenOutcome('/lib.so', report(slot({ userPinLocked: true }, [certificate])), who, undefined);
    expect(locked.status).toBe('warn');
    expect(locked.summary.en).toBe('Net iD Client sees the card “SITHS eID” (TEST IDPrime), but the PIN is locked.');
    expect(locked.advice!.sv).toContain('PUK-koden');
    const lastTry = tokenOutcome('/lib.so', report(slot({ userPinFinalTry: true }, [certificate])), who, undefined);
    expect(lastTry.summary.sv).toBe('Net iD Client ser kortet ”SITHS eID” (TEST IDPrime), men ett försök återstår för PIN-koden.');
  });

  it('counts several cards and their certificates, and reports a certificate that does not parse', () => {
    const broken = { label: 'Trasigt', id: '02', der: Buffer.from('not a certificate').toString('base64'), size: 17 };
    const result = tokenOutcome('/lib.so', report(slot({}, [certificate]), { ...slot({}, [broken]), id: '0x2' }), who, undefined);
    expect(result.status).toBe('pass');
    expect(result.summary.en).toBe('Net iD Client sees the card “SITHS eID” (TEST IDPrime) and 1 more with 2 certificates: “Legitimering”, “Trasigt”.');
    expect(result.details!.slots![1]!.certificates![0]).toEqual({ label: 'Trasigt', id: '02', size: 17, unreadable: true });
  });

  it('keeps a slot error as evidence without losing the other slots', () => {
    const failing: SlotReport = { ...slot(), id: '0x9', token: undefined, certificates: undefined, error: { stage: 'C_GetTokenInfo', message: 'CKR_DEVICE_ERROR' } };
    const result = tokenOutcome('/lib.so', report(failing, slot({}, [certificate])), who, undefined);
    expect(result.status).toBe('pass');
    expect(result.notes!.map((n) => n.en)).toContain('Identiv uTrust 2700 R 0: C_GetTokenInfo failed: CKR_DEVICE_ERROR');
  });

  it('a middleware without any slot, while the reader has a card', () => {
    const result = tokenOutcome('/lib.so', report(), who, [{ reader: 'Gemalto PC Twin Reader 00 00', atr: '3B', state: 'present' }]);
    expect(result.summary.en).toBe('The card reader sees a card (in “Gemalto PC Twin Reader 00 00”), but Net iD Client does not: it lists no card readers at all.');
    // A mute card is no card the middleware could see.
    const mute = tokenOutcome('/lib.so', report(), who, [{ reader: 'Gemalto PC Twin Reader 00 00', atr: '', state: 'mute' }]);
    expect(mute.details!.disagreement).toBeUndefined();
  });
});

describe('markNames', () => {
  it('marks each occurrence, longest name first, and redaction hides it', () => {
    const marked = markNames('Tolvan Tolvansson - tolvan', ['Tolvan', 'Tolvan Tolvansson']);
    expect(redactText(marked, false, 'en')).toBe('[name hidden] - [name hidden]');
    expect(redactText(marked, true, 'en')).toBe('Tolvan Tolvansson - tolvan');
    expect(markNames('Legitimering', [])).toBe('Legitimering');
    expect(markNames('a.b', ['a.'])).toBe('a.b'); // too short to be a name, and no regex surprises
  });
});
