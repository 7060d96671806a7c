import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cohortCommand } from '../../src/app/cohort-command.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';

const run = async (n: number, seed: number, file: string, extra: Partial<Parameters<typeof cohortCommand>[0]> = {}) =>
  cohortCommand({ cohortFile: 'cohorts/t2d.yaml', n, seed, replicate: 0, out: file, format: file.endsWith('.jsonl') ? 'jsonl' : 'csv', ...extra });

describe('vtrial cohort: determinism', () => {
  const dir = tempDir();
  it('the same seed gives a byte-identical CSV; another seed or replicate does not', async () => {
    await run(2000, 7, join(dir, 'a.csv'));
    await run(2000, 7, join(dir, 'b.csv'));
    await run(2000, 8, join(dir, 'c.csv'));
    await run(2000, 7, join(dir, 'd.csv'), { replicate: 1 });
    const a = readFileSync(join(dir, 'a.csv'));
    expect(a.equals(readFileSync(join(dir, 'b.csv')))).toBe(true);
    expect(a.equals(readFileSync(join(dir, 'c.csv')))).toBe(false);
    expect(a.equals(readFileSync(join(dir, 'd.csv')))).toBe(false);
    expect(a.toString().split('\n')[0]).toBe('twin,sex,age,height,weight,hba1c,diabetes_duration,creatinine,metformin,bmi,egfr');
  });
  it('twin i is the same whether 10 or 1,000 twins are generated', async () => {
    await run(10, 7, join(dir, 'ten.csv'));
    await run(1000, 7, join(dir, 'thousand.csv'));
    const ten = readFileSync(join(dir, 'ten.csv'), 'utf8').trimEnd().split('\n');
    const thousand = readFileSync(join(dir, 'thousand.csv'), 'utf8').trimEnd().split('\n');
    expect(ten).toHaveLength(11);
    expect(thousand).toHaveLength(1001);
    expect(thousand.slice(0, 11)).toEqual(ten);
  });
  it('JSON Lines holds the same values as CSV', async () => {
    await run(50, 7, join(dir, 'x.jsonl'));
    const lines = readFileSync(join(dir, 'x.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const csv = parse(readFileSync(join(dir, 'ten.csv')), { columns: true, cast: true }) as Record<string, unknown>[];
    expect(lines).toHaveLength(50);
    expect(lines.slice(0, 10)).toEqual(csv);
  });
});

describe('vtrial cohort: nothing half-written', () => {
  it('a bad spec is rejected before the output file exists', async () => {
    const dir = tempDir();
    await expect(cohortCommand({ cohortFile: 'test/fixtures/specs/bad-cohort.yaml', n: 5, seed: 1, replicate: 0, out: join(dir, 't.csv'), format: 'csv' })).rejects.toBeInstanceOf(SpecError);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('a failure while writing leaves neither the file nor its temporary', async () => {
    const dir = tempDir();
    const out = join(dir, 't.csv');
    const boom = () => {
      throw new Error('interrupted');
    };
    await expect(run(25_000, 1, out, { onProgress: boom })).rejects.toThrow('interrupted');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
