import { parsePeriod, previousPeriods, tertialOf } from '../src';

describe('reporting periods', () => {
  it('reads tertials and years as half-open date ranges', () => {
    expect(parsePeriod('2026-T1')).toEqual({ label: '2026-T1', start: '2026-01-01', end: '2026-05-01' });
    expect(parsePeriod('2026-T2')).toEqual({ label: '2026-T2', start: '2026-05-01', end: '2026-09-01' });
    expect(parsePeriod('2026-T3')).toEqual({ label: '2026-T3', start: '2026-09-01', end: '2027-01-01' });
    expect(parsePeriod('2025')).toEqual({ label: '2025', start: '2025-01-01', end: '2026-01-01' });
  });

  it('names the rule of a bad period', () => {
    expect(() => parsePeriod('2026-Q1', 'input.period')).toThrow(/tertial like "2026-T3"/);
    try {
      parsePeriod('26', 'input.period');
    } catch (error) {
      expect((error as { extensions: unknown }).extensions).toMatchObject({ field: 'input.period', rule: 'isPeriod' });
    }
  });

  it('steps back through previous periods and finds the tertial of a day', () => {
    expect(previousPeriods('2026-T1', 3).map((p) => p.label)).toEqual(['2025-T3', '2025-T2', '2025-T1']);
    expect(previousPeriods('2026', 2).map((p) => p.label)).toEqual(['2025', '2024']);
    expect(tertialOf('2026-11-23').label).toBe('2026-T3');
    expect(tertialOf('2026-04-30').label).toBe('2026-T1');
  });
});
