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
  it('moves a threshold under not (or !) the other way, flipping at each negation', () => {
    // not (hba1c > 10) passes hba1c <= 10: loosening raises the threshold (the old code lowered it to 9.0, which excludes more).
    expect(movedThresholds('not (hba1c > 10)', 'inclusion')).toBe('not (hba1c > 11.0)');
    expect(movedThresholds('age >= 18 and not (egfr < 30 or bmi > 50)', 'inclusion')).toBe('age >= 16.2 and not (egfr < 27.0 or bmi > 55.0)');
    expect(movedThresholds('!(egfr < 30)', 'exclusion')).toBe('!(egfr < 33.0)');
    expect(movedThresholds('not not (age >= 18)', 'inclusion')).toBe('not not (age >= 16.2)');
  });
  it('leaves a comparison whose direction the criterion does not fix as written', () => {
    expect(movedThresholds('(age > 60) == (sex == "male")', 'inclusion')).toBeNull();
    expect(movedThresholds('age > 60 ? egfr >= 30 : egfr >= 45', 'inclusion')).toBe('age > 60 ? egfr >= 27.0 : egfr >= 40.5');
    expect(movedThresholds('region == "a<b" or age >= 18', 'inclusion')).toBe('region == "a<b" or age >= 16.2');
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
