import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { num } from '../../src/analysis/adam-data.js';
import { DataError } from '../../src/errors/data-error.js';
import { readEmpiricalCsv } from '../../src/io/read-empirical.js';
import { readHistoricalFit } from '../../src/io/read-historical.js';
import { parseReal } from '../../src/cli/options.js';
import { looksLikeFormula } from '../../src/util/spreadsheet-safety.js';
import { parseDecimal } from '../../src/util/decimal.js';
import { tempDir } from '../helpers.js';

const NOT_DECIMAL = ['0x10', '0X1f', '0b101', '0o17', '', '   ', 'Infinity', '-Infinity', 'NaN', 'NA', '1,5', '1e999', '5 kg', '1_000', '.', 'e5'];

describe('one decimal-number parser for every reader', () => {
  it.each([
    ['5', 5],
    ['-2.5', -2.5],
    ['+.25', 0.25],
    ['1e-3', 0.001],
    ['7.', 7],
    [' 12 ', 12],
  ])('reads %j as %d', (text, x) => expect(parseDecimal(text)).toBe(x));
  it.each(NOT_DECIMAL)('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
    expect(num(text)).toBeNaN();
    expect(() => parseReal('a rate')(text)).toThrow(/a finite decimal number/);
  });
  it('keeps numbers numbers for the spreadsheet check, and a leading tab a formula', () => {
    expect(looksLikeFormula('-1.5')).toBe(false);
    expect(looksLikeFormula('-0x10')).toBe(true);
    expect(looksLikeFormula('\t5')).toBe(true);
  });

  const csv = (text: string) => {
    const file = join(tempDir(), 'data.csv');
    writeFileSync(file, text);
    return file;
  };
  const dataError = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(DataError);
      return (err as Error).message;
    }
    throw new Error('no error');
  };
  it.each(['0x10', '0b101', '0o17', 'Infinity'])('an empirical CSV cell %j is a DataError naming row and column', (cell) => {
    const file = csv(`age,sex\n50,female\n${cell},male\n`);
    expect(dataError(() => readEmpiricalCsv(file, 'e.csv', { age: { type: 'numeric' }, sex: { type: 'categorical' } } as never))).toBe(`e.csv: row 2 (line 3), column "age": expected a number, found ${JSON.stringify(cell)}`);
  });
  it.each(['0x10', '0b101', '0o17', ' '])('a historical CSV cell %j is a DataError naming row and column', (cell) => {
    const file = csv(`y,age\n1,50\n2,${cell}\n3,60\n`);
    expect(dataError(() => readHistoricalFit(file, 'h.csv', 'y', ['age']))).toBe(`h.csv: row 2 (line 3), column "age": expected a number, found ${JSON.stringify(cell)}`);
  });
  it('a column named twice in the header of an empirical or historical CSV is a DataError', () => {
    expect(dataError(() => readEmpiricalCsv(csv('age,sex,age\n50,female,60\n'), 'e.csv', { age: { type: 'numeric' } } as never))).toBe('e.csv: column "age" appears twice in the header');
    expect(dataError(() => readHistoricalFit(csv('y,age,age\n1,50,60\n2,55,61\n'), 'h.csv', 'y', ['age']))).toBe('h.csv: column "age" appears twice in the header');
  });
});
