import { describe, expect, it } from 'vitest';
import { personal, redactText } from '../src/personal.js';
import { isHsaId } from '../src/x509/known-cas.js';

// Forms seen in public Inera-related code (DESIGN.md, issue 12) and the ordinary SE form.
const REAL_FORMS = ['SE2321000016-T0LV', 'TSTNMT2321000156-1019', 'HSATEST2-DGQ', 'T-SERVICES-SE165565594230-1110', 'HSASERVICES-100S'];

describe('HSA-ids of every form', () => {
  it('recognises the ordinary, test and service forms', () => {
    for (const id of REAL_FORMS) expect(isHsaId(id), id).toBe(true);
    expect(isHsaId(' hsatest2-dgq ')).toBe(true);
  });

  it('does not take personal numbers, organisation numbers or words for HSA-ids', () => {
    for (const text of ['19121212-1212', '232100-0016', 'SE2321000016', 'HSATEST2', 'TEST-DGQ', 'Region Test', 'SE232100001-1']) expect(isHsaId(text), text).toBe(false);
  });

  it('finds each in free text, whole, for the redaction safety net', () => {
    const text = `Inloggad: ${REAL_FORMS.join(', ')}; inte XSE2321000016-1.`;
    // The ordinary form keeps its organisation part; test and service ids are hidden whole.
    expect(redactText(text, false, 'en')).toBe('Inloggad: SE2321000016-****, [hidden], [hidden], [hidden], [hidden]; inte XSE2321000016-1.');
  });

  it('a marked test or service HSA-id is redacted like any HSA-id, and shown on request', () => {
    for (const id of REAL_FORMS) {
      const marked = `HSA-id ${personal(id, 'hsa-id')}`;
      expect(redactText(marked, false, 'en')).not.toContain(id);
      expect(redactText(marked, true, 'en')).toBe(`HSA-id ${id}`);
    }
  });
});
