import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { runCommand } from '../../src/app/run-command.js';
import { DataError } from '../../src/errors/data-error.js';
import { tempDir } from '../helpers.js';

const PROTOCOL = 'test/fixtures/analysis/reference-protocol.yaml';
type Rows = (string | number)[][];

function writeExport(dir: string, o: { chg: (arm: string, i: number) => number; resp: (arm: string, i: number) => number; tte: (arm: string, i: number) => [number, number] }, adslExtra?: (rows: Rows) => Rows): void {
  const ids = ['ACTIVE', 'PLACEBO'].flatMap((arm) => Array.from({ length: 10 }, (_, i) => [arm, i] as const));
  const usubjid = (arm: string, i: number) => `${arm[0]}${i}`;
  let adsl: Rows = ids.map(([arm, i]) => [usubjid(arm, i), 'Y', arm, 'COMPLETED', 50 + i]);
  if (adslExtra) adsl = adslExtra(adsl);
  const adeff: Rows = ids.flatMap(([arm, i]) => [
    [usubjid(arm, i), 'Y', 'Week 4', 5 + i / 10 + o.chg(arm, i), 5 + i / 10, o.chg(arm, i)],
    [usubjid(arm, i), 'R', 'Week 4', o.resp(arm, i), 0, o.resp(arm, i)],
  ]);
  const adtte: Rows = ids.map(([arm, i]) => [usubjid(arm, i), 'SURV', ...o.tte(arm, i)]);
  const w = (name: string, columns: string[], rows: Rows) => writeFileSync(join(dir, name), stringify(rows, { header: true, columns }));
  w('adsl.csv', ['USUBJID', 'RANDFL', 'TRT01A', 'EOSSTT', 'AGE'], adsl);
  w('adeff.csv', ['USUBJID', 'PARAMCD', 'AVISIT', 'AVAL', 'BASE', 'CHG'], adeff);
  w('adtte.csv', ['USUBJID', 'PARAMCD', 'AVAL', 'CNSR'], adtte);
  w('adae.csv', ['USUBJID', 'AEDECOD', 'AETOXGR', 'AESER', 'AEACN'], [['A0', 'Headache', 2, 'N', 'DOSE NOT CHANGED']]);
}

describe('edge cases give clear results (NA with a note), not NaN or crashes', () => {
  it('zero variance, a zero cell, no events in one arm', async () => {
    const dir = tempDir();
    writeExport(dir, { chg: () => 1, resp: (arm) => (arm === 'ACTIVE' ? 1 : 0), tte: (arm, i) => (arm === 'ACTIVE' ? [10 + i, 1] : [5 + i, 0]) });
    const r = await analyzeCommand({ dir, protocolFile: PROTOCOL });
    const by = (method: string) => r.efficacy.find((x) => x.method === method)!;
    const anc = r.efficacy[0]!;
    expect(anc.estimate).toBeCloseTo(0, 12);
    expect(anc.p).toBeNull();
    expect(anc.reject).toBeNull();
    expect(anc.note).toBe('not estimable: no residual variance');
    expect([anc.se, anc.lower, anc.upper, anc.statistic]).toEqual([null, null, null, null]);
    const welch = by('welch_t_test');
    expect(welch.note).toBe('not estimable: no variance in either arm');
    expect([welch.se, welch.lower, welch.upper, welch.statistic, welch.p]).toEqual([null, null, null, null, null]);
    const chisq = by('chisq');
    expect(chisq.estimate).toBe(1);
    expect(chisq.p).toBeGreaterThan(0);
    expect(chisq.p).toBeLessThan(1e-4);
    const fisher = by('fisher');
    expect(fisher.estimate).toBeNull(); // Infinity: reported as NA
    expect(fisher.note).toMatch(/edge of its range/);
    expect(fisher.p).toBeCloseTo(2 / 184756, 12); // both extreme tables of C(20,10)
    const cox = by('cox');
    expect(cox.estimate).toBeNull();
    // A Cox row that is not estimable carries no number at all (it used to show the log-rank statistic).
    expect(cox.note).toBe('not estimable: no events in the active arm'); // CNSR = 1: censored
    expect([cox.se, cox.lower, cox.upper, cox.statistic, cox.p]).toEqual([null, null, null, null, null]);
    const lr = by('logrank');
    expect(lr.p).toBeGreaterThan(0);
    // The CSV says NA, never NaN.
    const csv = readFileSync(join(dir, 'efficacy.csv'), 'utf8');
    expect(csv).not.toMatch(/NaN|Infinity|null/);
    expect(csv).toMatch(/,NA,/);
  });
  it('all censored', async () => {
    const dir = tempDir();
    writeExport(dir, { chg: (arm, i) => i, resp: (arm, i) => i % 2, tte: (arm, i) => [20 + i, 1] });
    const r = await analyzeCommand({ dir, protocolFile: PROTOCOL });
    for (const x of r.efficacy.filter((e) => e.endpoint === 'SURV')) {
      expect(x.estimate).toBeNull();
      expect(x.note).toBe('not estimable: no events in either arm (all censored)');
    }
  });
  it('missing columns and unknown arm names are clear errors', async () => {
    const dir = tempDir();
    writeExport(dir, { chg: (a, i) => i, resp: (a, i) => i % 2, tte: (a, i) => [5 + i, 0] });
    writeFileSync(join(dir, 'adtte.csv'), 'USUBJID,PARAMCD,AVAL\nA0,SURV,3\n');
    await expect(analyzeCommand({ dir, protocolFile: PROTOCOL })).rejects.toThrow(new DataError(join(dir, 'adtte.csv'), 'missing column CNSR (required in adtte: USUBJID, PARAMCD, AVAL, CNSR)'));
    const dir2 = tempDir();
    writeExport(dir2, { chg: (a, i) => i, resp: (a, i) => i % 2, tte: (a, i) => [5 + i, 0] }, (rows) => rows.map((r) => (r[2] === 'ACTIVE' ? [r[0]!, r[1]!, 'Active 10mg', r[3]!, r[4]!] : r)));
    await expect(analyzeCommand({ dir: dir2, protocolFile: PROTOCOL })).rejects.toThrow(/TRT01A holds arm "Active 10mg" that the protocol does not define \(its arms: PLACEBO, ACTIVE\)/);
    await expect(analyzeCommand({ dir: tempDir(), protocolFile: PROTOCOL })).rejects.toThrow(/adsl\.csv: file not found/);
  });
  it('a single-arm protocol gives estimates without comparisons', async () => {
    const out = join(tempDir(), 'single');
    const r = await runCommand({ protocolFile: 'test/fixtures/analysis/single-arm.yaml', seed: 2, out, force: false });
    expect(r.efficacy.map((e) => [e.endpoint, e.measure, e.control, e.nControl])).toEqual([
      ['Y_CHG', 'mean', '', null],
      ['Y_LOW', 'proportion', '', null],
      ['TTE', 'median', '', null],
    ]);
    const [chg, low, tte] = r.efficacy;
    expect(chg!.estimate!).toBeGreaterThan(chg!.lower!);
    expect(chg!.trueEffect).toBeCloseTo(-1, 0); // the placebo response is the only change
    expect(low!.lower!).toBeLessThan(low!.estimate!);
    expect(tte!.estimate).toBeGreaterThan(40);
    expect(tte!.estimate).toBeLessThan(85);
    const safety = parse(readFileSync(join(out, 'safety.csv')), { columns: true }) as Record<string, string>[];
    expect(safety.every((s) => s.risk_difference === 'NA')).toBe(true);
  });
});
