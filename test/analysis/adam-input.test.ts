/**
 * `vtrial analyze` checks every value it reads: a duplicated subject or record, a CNSR other than
 * 0/1, a negative or missing time, an unknown grade, text or NA where a number is needed is a
 * DataError naming file, row and column (exit code 2), never a silently wrong result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { DataError } from '../../src/errors/data-error.js';
import { tempDir } from '../helpers.js';

const PROTOCOL = 'test/fixtures/analysis/reference-protocol.yaml';

/** Ten subjects per arm: ADSL, ADEFF (Y and R at Week 4), ADTTE (SURV), ADAE, counterfactual. */
function writeExport(tte: (arm: string, i: number) => [number, number] = (arm, i) => [5 + i + (arm === 'ACTIVE' ? 3 : 0), i % 3 === 0 ? 1 : 0], chg: (arm: string, i: number) => number = (arm, i) => ((i * 7) % 5) + (arm === 'ACTIVE' ? 1 : 0)): string {
  const dir = tempDir();
  const ids = ['ACTIVE', 'PLACEBO'].flatMap((arm) => Array.from({ length: 10 }, (_, i) => [arm, i] as const));
  const id = (arm: string, i: number) => `${arm[0]}${i}`;
  const lines = (header: string, rows: string[]) => [header, ...rows].join('\n') + '\n';
  writeFileSync(join(dir, 'adsl.csv'), lines('USUBJID,RANDFL,TRT01A,EOSSTT,AGE', ids.map(([arm, i]) => `${id(arm, i)},Y,${arm},COMPLETED,${50 + i}`)));
  writeFileSync(join(dir, 'adeff.csv'), lines('USUBJID,PARAMCD,AVISIT,AVAL,BASE,CHG', ids.flatMap(([arm, i]) => [`${id(arm, i)},Y,Week 4,${5 + chg(arm, i)},5,${chg(arm, i)}`, `${id(arm, i)},R,Week 4,${i % 2},0,${i % 2}`])));
  writeFileSync(join(dir, 'adtte.csv'), lines('USUBJID,PARAMCD,AVAL,CNSR', ids.map(([arm, i]) => `${id(arm, i)},SURV,${tte(arm, i).join(',')}`)));
  writeFileSync(join(dir, 'adae.csv'), lines('USUBJID,AEDECOD,AETOXGR,AESER,AEACN', ['A0,Headache,2,N,DOSE NOT CHANGED', 'P3,Nausea,3,Y,DRUG WITHDRAWN']));
  return dir;
}

/** Replaces the first occurrence of `from` in a file of the export. */
function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const p = join(dir, file);
  const text = readFileSync(p, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${String(from)} not found in ${file}`);
  writeFileSync(p, next);
}

const CF = 'USUBJID,TRTA,CHG_W4.PLACEBO,CHG_W4.ACTIVE,RESP.PLACEBO,RESP.ACTIVE,SURV.PLACEBO,SURV.ACTIVE\nA0,ACTIVE,1,2,0,1,30,40\nP0,PLACEBO,1,2,0,1,NA,40\n';

describe('analyze rejects bad ADaM values, naming file, row and column', () => {
  it.each<[string, string, string | RegExp, string, RegExp]>([
    ['a duplicated USUBJID in ADSL', 'adsl.csv', 'P9,Y,PLACEBO,COMPLETED,59', 'P9,Y,PLACEBO,COMPLETED,59\nP9,Y,PLACEBO,COMPLETED,59', /adsl\.csv: row 21 \(line 22\), columns USUBJID: P9 already appears in row 20 \(line 21\); each may appear once/],
    ['a duplicated ADEFF record', 'adeff.csv', 'A3,Y,Week 4,', 'A3,Y,Week 4,9,5,4\nA3,Y,Week 4,', /adeff\.csv: row 8 \(line 9\), columns USUBJID, PARAMCD, AVISIT: A3, Y, Week 4 already appears in row 7 \(line 8\)/],
    ['a duplicated ADTTE record', 'adtte.csv', 'A2,SURV,', 'A2,SURV,99,0\nA2,SURV,', /adtte\.csv: row 4 \(line 5\), columns USUBJID, PARAMCD: A2, SURV already appears in row 3/],
    ['CNSR = 2', 'adtte.csv', /A4,SURV,(\d+),0/, 'A4,SURV,$1,2', /adtte\.csv: row 5 \(line 6, USUBJID A4\), column CNSR: expected 0 \(event\) or 1 \(censored\), found "2"/],
    ['CNSR = NA', 'adtte.csv', /A4,SURV,(\d+),0/, 'A4,SURV,$1,NA', /adtte\.csv: row 5 \(line 6, USUBJID A4\), column CNSR: expected 0 \(event\) or 1 \(censored\), found "NA"/],
    ['a negative time', 'adtte.csv', /A4,SURV,\d+/, 'A4,SURV,-3', /adtte\.csv: row 5 \(line 6, USUBJID A4\), column AVAL: expected a time: a finite number >= 0, found "-3"/],
    ['an NA time', 'adtte.csv', /A4,SURV,\d+/, 'A4,SURV,NA', /column AVAL: expected a time: a finite number >= 0, found "NA"/],
    ['an empty time', 'adtte.csv', /A4,SURV,\d+/, 'A4,SURV,', /column AVAL: expected a time: a finite number >= 0, found ""/],
    ['a text time', 'adtte.csv', /A4,SURV,\d+/, 'A4,SURV,soon', /column AVAL: expected a time: a finite number >= 0, found "soon"/],
    ['AETOXGR 9', 'adae.csv', 'Headache,2', 'Headache,9', /adae\.csv: row 1 \(line 2, USUBJID A0\), column AETOXGR: expected a CTCAE grade 1, 2, 3, 4 or 5, found "9"/],
    ['AETOXGR NA', 'adae.csv', 'Nausea,3', 'Nausea,NA', /adae\.csv: row 2 \(line 3, USUBJID P3\), column AETOXGR: expected a CTCAE grade 1, 2, 3, 4 or 5, found "NA"/],
    ['a text AVAL in ADEFF', 'adeff.csv', /A5,Y,Week 4,[\d.]+/, 'A5,Y,Week 4,high', /adeff\.csv: row 11 \(line 12, USUBJID A5\), column AVAL: expected a finite number, or empty or NA for a missing value, found "high"/],
    ['an infinite CHG in ADEFF', 'adeff.csv', /(A5,Y,Week 4,[\d.]+,5,)[\d.]+/, '$11e999', /adeff\.csv: row 11 \(line 12, USUBJID A5\), column CHG: expected a finite number/],
    ['a subject missing from ADSL', 'adtte.csv', 'A2,SURV,', 'X7,SURV,', /adtte\.csv: row 3 \(line 4\), column USUBJID: "X7" is not a subject of .*adsl\.csv/],
    ['a column named twice', 'adsl.csv', 'USUBJID,RANDFL,TRT01A,EOSSTT,AGE', 'USUBJID,RANDFL,TRT01A,EOSSTT,RANDFL', /adsl\.csv: column "RANDFL" appears twice in the header/],
  ])('%s', async (_, file, from, to, message) => {
    const dir = writeExport();
    edit(dir, file, from, to);
    const err = await analyzeCommand({ dir, protocolFile: PROTOCOL }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(join(dir, file));
    expect((err as Error).message).toMatch(message);
  });
  it.each([['Infinity'], ['1e999'], ['NA'], ['old']])('an analysis covariate of ADSL that is %s: exit 2 naming row and column, not a statistic failing', async (value) => {
    const dir = writeExport();
    edit(dir, 'adsl.csv', 'A3,Y,ACTIVE,COMPLETED,53', `A3,Y,ACTIVE,COMPLETED,${value}`);
    const err = await analyzeCommand({ dir, protocolFile: PROTOCOL }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toBe(`adsl.csv: row 4 (USUBJID "A3"), column AGE: an analysis covariate must be a finite number, found "${value}"`);
  });
  it('every problem of a file at once', async () => {
    const dir = writeExport();
    edit(dir, 'adtte.csv', /A4,SURV,(\d+),0/, 'A4,SURV,$1,2');
    edit(dir, 'adtte.csv', /A5,SURV,\d+/, 'A5,SURV,-1');
    await expect(analyzeCommand({ dir, protocolFile: PROTOCOL })).rejects.toThrow(/adtte\.csv: 2 problems:\n {2}row 5 .*column CNSR.*\n {2}row 6 .*column AVAL/);
  });
  it('an NA in counterfactual.csv (read for the true effects)', async () => {
    const dir = writeExport();
    writeFileSync(join(dir, 'counterfactual.csv'), CF);
    await expect(analyzeCommand({ dir, protocolFile: PROTOCOL })).rejects.toThrow(/counterfactual\.csv: row 2 \(line 3, USUBJID P0\), column SURV\.PLACEBO: expected a finite number, found "NA"/);
  });
  it('an empty or NA AVAL in ADEFF is a missed visit: that subject is left out of the continuous endpoint', async () => {
    const dir = writeExport();
    edit(dir, 'adeff.csv', /A5,Y,Week 4,[\d.]+,5,[\d.]+/, 'A5,Y,Week 4,NA,5,NA');
    edit(dir, 'adeff.csv', /A6,Y,Week 4,[\d.]+,5,[\d.]+/, 'A6,Y,Week 4,,5,');
    const r = await analyzeCommand({ dir, protocolFile: PROTOCOL });
    expect(r.efficacy[0]!.nArm).toBe(8);
    expect(r.efficacy[0]!.nControl).toBe(10);
  });
});

describe('analyze: rows that cannot be estimated carry no numbers, only the reason', () => {
  it('Cox under perfect separation: NA with a note (it reported HR 4e-13)', async () => {
    // Every subject has an event (CNSR 0); every control fails before every active subject.
    const dir = writeExport((arm, i) => [arm === 'ACTIVE' ? 100 + i : 1 + i, 0]);
    const r = await analyzeCommand({ dir, protocolFile: PROTOCOL });
    const cox = r.efficacy.find((x) => x.method === 'cox' && x.covariates === '')!;
    expect(cox.note).toBe('not estimable: the coefficient of TRT may be infinite (perfect separation: the likelihood converged before that variable did)');
    expect([cox.estimate, cox.se, cox.lower, cox.upper, cox.statistic, cox.p, cox.pAdjusted, cox.reject]).toEqual([null, null, null, null, null, null, null, null]);
    const lr = r.efficacy.find((x) => x.method === 'logrank')!;
    expect(lr.estimate).toBeNull();
    expect(lr.p).toBeLessThan(1e-4); // the log-rank test stands without a hazard ratio
    expect(lr.note).toMatch(/^hazard ratio not estimable: the coefficient of TRT may be infinite/);
  });
  it('ANCOVA and t-tests on values near 1e308: NA with a note (ANCOVA reported p = 1)', async () => {
    const dir = writeExport(undefined, (arm, i) => (arm === 'ACTIVE' ? 1 : -1) * (1 + i / 100) * 1e307 * (i % 2 ? 15 : 10));
    const r = await analyzeCommand({ dir, protocolFile: PROTOCOL });
    for (const method of ['ancova', 'welch_t_test', 'pooled_t_test']) {
      const row = r.efficacy.find((x) => x.method === method)!;
      expect(row.note, method).toMatch(/^not estimable: .*overflow/);
      expect([row.se, row.lower, row.upper, row.statistic, row.p], method).toEqual([null, null, null, null, null]);
    }
  });
});
