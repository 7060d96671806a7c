import { describe, expect, it } from 'vitest';
import { criteriaVariants, movedThresholds } from '../../src/design/trade-offs.js';

describe('movedThresholds', () => {
  it('loosens an inclusion by 10% of each threshold (>= down, <= up), keeping the decimals', () => {
    expect(movedThresholds('hba1c >= 7.0 and hba1c <= 10.0', 'inclusion')).toBe('hba1c >= 6.3 and hba1c <= 11.0');
    expect(movedThresholds('age >= 18', 'inclusion')).toBe('age >= 16.2');
  });
  it('loosens an exclusion the other way (it excludes fewer twins)', () => {
    expect(movedThresholds('egfr < 30', 'exclusion')).toBe('egfr < 27.0');
    expect(movedThresholds('bmi >= 50', 'exclusion')).toBe('bmi >= 55.0');
  });
  it('has nothing to move without a numeric comparison', () => {
    expect(movedThresholds('on_metformin', 'exclusion')).toBeNull();
  });
});

describe('criteriaVariants', () => {
  it('lists the protocol as written, then per criterion its removal and its moved thresholds (or --move)', () => {
    const c = { inclusion: [{ id: 'adult', expr: 'age >= 18' }], exclusion: [{ id: 'met', expr: 'on_metformin' }, { id: 'renal', expr: 'egfr < 30' }] };
    const v = criteriaVariants(c, new Map([['adult', 'age >= 21']]));
    expect(v.map((x) => [x.criterion, x.change, x.expr])).toEqual([
      [null, 'as written', null],
      ['inclusion.adult', 'removed', null],
      ['inclusion.adult', 'threshold moved', 'age >= 21'],
      ['exclusion.met', 'removed', null],
      ['exclusion.renal', 'removed', null],
      ['exclusion.renal', 'threshold moved', 'egfr < 27.0'],
    ]);
    expect(v[1]!.criteria.inclusion).toEqual([]);
    expect(v[4]!.criteria.exclusion.map((x) => x.id)).toEqual(['met']);
    expect(v[5]!.criteria.exclusion[1]!.expr).toBe('egfr < 27.0');
  });
});
