import { countValue, distribution, medianValue, shareValue, suppressBreakdown } from '../src';

describe('small-cell suppression', () => {
  it('suppresses small counts but shows zero', () => {
    expect(countValue('ACTIVE_CASES', 4)).toEqual({ metric: 'ACTIVE_CASES', value: null, numerator: null, denominator: null, suppressed: true });
    expect(countValue('ACTIVE_CASES', 0)).toMatchObject({ value: 0, suppressed: false });
    expect(countValue('ACTIVE_CASES', 5)).toMatchObject({ value: 5, suppressed: false });
  });

  it('suppresses shares whose base, numerator or complement is a small cell', () => {
    expect(shareValue('S', 6, 8)).toMatchObject({ suppressed: true, value: null }); // 2 without: recomputable
    expect(shareValue('S', 3, 20)).toMatchObject({ suppressed: true });
    expect(shareValue('S', 5, 3)).toMatchObject({ suppressed: true });
    expect(shareValue('S', 10, 20)).toEqual({ metric: 'S', value: 0.5, numerator: 10, denominator: 20, suppressed: false });
    expect(shareValue('S', 0, 0)).toMatchObject({ value: null, suppressed: false });
    expect(shareValue('S', 0, 12)).toMatchObject({ value: 0, suppressed: false });
    expect(medianValue('M', 12, 3)).toMatchObject({ value: null, suppressed: true });
  });

  it('suppresses a second cell when one alone would be recomputable from the total', () => {
    const cells = suppressBreakdown('MODES', [
      { key: 'OFFICE', count: 40 },
      { key: 'HOME_VISIT', count: 3 },
      { key: 'PHONE', count: 9 },
      { key: 'VIDEO', count: 0 },
    ]);
    expect(cells.map((c) => [c.key, c.count, c.suppressed])).toEqual([
      ['OFFICE', 40, false],
      ['HOME_VISIT', null, true],
      ['PHONE', null, true],
      ['VIDEO', 0, false],
    ]);
    expect(suppressBreakdown('X', [{ key: 'A', count: 2 }, { key: 'B', count: 3 }, { key: 'C', count: 9 }]).map((c) => c.suppressed)).toEqual([true, true, false]);
    // 1 and 1 hidden would add up to 2 < 5: both ones could be recomputed from the total, so 9 is hidden too
    expect(suppressBreakdown('X', [{ key: 'A', count: 1 }, { key: 'B', count: 1 }, { key: 'C', count: 9 }, { key: 'D', count: 30 }]).map((c) => c.suppressed)).toEqual([true, true, true, false]);
  });

  it('computes median and quartiles like percentile_cont, over shown values only', () => {
    const d = distribution('S', [0.2, null, 0.4, 0.6, 0.8]);
    expect(d).toMatchObject({ metric: 'S', counted: 4 });
    expect(d.median).toBeCloseTo(0.5, 12);
    expect(d.lowerQuartile).toBeCloseTo(0.35, 12);
    expect(d.upperQuartile).toBeCloseTo(0.65, 12);
    expect(distribution('S', [null])).toEqual({ metric: 'S', median: null, lowerQuartile: null, upperQuartile: null, counted: 0 });
  });
});
