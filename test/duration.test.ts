import { describe, expect, it } from 'vitest';
import { duration, durationText } from '../src/i18n/duration.js';

describe('duration: the one way a duration is written for a person', () => {
  it.each([
    [1500, '1,5 s', '1.5 s'],
    [1234, '1,2 s', '1.2 s'],
    [10_000, '10,0 s', '10.0 s'],
    [40, '0,0 s', '0.0 s'],
    [59_940, '59,9 s', '59.9 s'],
    [59_960, '1 min', '1 min'],
    [65_000, '1 min 5 s', '1 min 5 s'],
    [-600_000, '10 min', '10 min'],
    [2 * 3600_000 + 5 * 60_000, '2 h 5 min', '2 h 5 min'],
    [86_400_000, '1 dygn', '1 day'],
    [3 * 86_400_000 + 4 * 3600_000, '3 dygn 4 h', '3 days 4 h'],
  ])('%d ms is "%s" in Swedish and "%s" in English', (ms, sv, en) => {
    expect(duration(ms, 'sv')).toBe(sv);
    expect(duration(ms, 'en')).toBe(en);
    expect(durationText(ms)).toEqual({ sv, en });
  });
});
