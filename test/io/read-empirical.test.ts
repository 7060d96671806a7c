import { describe, expect, it } from 'vitest';
import { loadCohort } from '../../src/io/load-specs.js';
import { DataError } from '../../src/errors/data-error.js';
import { twins } from '../helpers.js';

const fixture = (name: string) => `test/fixtures/empirical/${name}.yaml`;

describe('empirical cohorts', () => {
  it('resamples whole records, adds bounded smoothing noise to numeric columns, keeps categories', () => {
    const { model } = loadCohort(fixture('good'));
    const records = [
      { sex: 'female', age: 54, sbp: 141 },
      { sex: 'male', age: 61, sbp: 150.5 },
      { sex: 'male', age: 70, sbp: 162 },
    ];
    const rows = twins(model, 3000, 5);
    const seen = new Set<number>();
    for (const t of rows) {
      // sbp has no smoothing: it identifies the record, whose sex must come with it.
      const rec = records.findIndex((r) => r.sbp === t.sbp);
      expect(rec).toBeGreaterThanOrEqual(0);
      seen.add(rec);
      expect(t.sex).toBe(records[rec]!.sex);
      expect(t.age as number).toBeGreaterThanOrEqual(50);
      expect(t.age as number).toBeLessThanOrEqual(72);
      expect(t.high_sbp).toBe((t.sbp as number) >= 150 ? 1 : 0);
    }
    expect(seen.size).toBe(3);
    // Each record drawn about a third of the time (5 SE).
    const share = rows.filter((t) => t.sbp === 141).length / rows.length;
    expect(Math.abs(share - 1 / 3)).toBeLessThan(5 * Math.sqrt(2 / 9 / rows.length));
    // The smoothing noise has the requested SD (record 2, age 61, far from the bounds).
    const ages = rows.filter((t) => t.sbp === 150.5).map((t) => (t.age as number) - 61);
    const sd = Math.sqrt(ages.reduce((s, d) => s + d * d, 0) / ages.length);
    expect(Math.abs(sd - 1.5)).toBeLessThan(0.1);
  });

  const dataError = (name: string) => {
    try {
      loadCohort(fixture(name));
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      return (e as Error).message;
    }
    throw new Error('loaded');
  };
  it('a non-numeric cell names its row and column', () => {
    expect(dataError('bad-cell')).toBe('test/fixtures/empirical/bad-cell.csv: row 2 (line 3), column "age": expected a number, found "6l"');
  });
  it('an empty category cell names its row and column', () => {
    expect(dataError('empty-category')).toMatch(/row 2 \(line 3\), column "sex": empty cell/);
  });
  it('a missing column is named, with the columns the file has', () => {
    expect(dataError('missing-column')).toBe('test/fixtures/empirical/missing-column.csv: missing column "sbp" (the header has: id, sex, age)');
  });
  it('an empty file is an error', () => {
    expect(dataError('empty')).toMatch(/empty\.csv: the file is empty/);
  });
});
