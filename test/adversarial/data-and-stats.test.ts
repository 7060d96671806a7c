/**
 * Adversarial cases for data and statistics (issue 9, items 4, 5, 6 and 8), through the real
 * executable: a small valid run is corrupted one value at a time and re-analysed (each bad ADaM
 * value is exit code 2 naming file, row and column; nothing that existed is lost or changed);
 * spec values that make the simulation produce non-finite numbers are exit code 1 naming model,
 * parameter or formula, replicate and twin (in-process and with 1 and 2 workers), never a hang,
 * an out-of-memory crash or a stack trace.
 */
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { expectClean, expectPreserved, snapshotTree, vtrial } from './harness.js';

const LIMIT = 20_000;
let work: string;
let base: string;

/** identical-arms.yaml with 40 twins (and an optional edit) next to its cohort in `dir`. */
function writeProtocol(dir: string, from?: string, to?: string): string {
  copyFileSync('test/fixtures/protocols/cohort.yaml', join(dir, 'cohort.yaml'));
  let text = readFileSync('test/fixtures/protocols/identical-arms.yaml', 'utf8').replace('target: 300', 'target: 40');
  if (from !== undefined) {
    if (!text.includes(from)) throw new Error(`test setup: ${from} not in the fixture`);
    text = text.replace(from, to!);
  }
  const file = join(dir, 'p.yaml');
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  work = tempDir('vtrial-adv-stats-');
  writeProtocol(work);
  base = join(work, 'base');
  const r = await vtrial(['run', join(work, 'p.yaml'), '--out', base, '--quiet'], { timeoutMs: LIMIT });
  expectClean(r, 0, 'the valid run the cases corrupt');
}, 60_000);

type Table = { header: string[]; rows: string[][] };
const readCsv = (dir: string, file: string): Table => {
  const all = parse(readFileSync(join(dir, file))) as string[][];
  return { header: all[0]!, rows: all.slice(1) };
};
const writeCsv = (dir: string, file: string, t: Table) => writeFileSync(join(dir, file), stringify([t.header, ...t.rows]));
/** Gives every row of an ADaM file the parameter code `to` (the planned one then appears nowhere). */
function renameParamcd(dir: string, file: string, to: string): void {
  const t = readCsv(dir, file);
  const j = t.header.indexOf('PARAMCD');
  for (const r of t.rows) r[j] = to;
  writeCsv(dir, file, t);
}

/** A corruption of a copy of the valid run; returns the pattern the error message must match. */
type Corrupt = (dir: string) => RegExp;

/** Sets column `col` of the first data row that `pick` selects (default the first); the message names that row. */
function setCell(file: string, col: string, value: string, pick: (row: string[], t: Table) => boolean = () => true): Corrupt {
  return (dir) => {
    const t = readCsv(dir, file);
    const j = t.header.indexOf(col);
    const i = t.rows.findIndex((r) => pick(r, t));
    if (j < 0 || i < 0) throw new Error(`test setup: no ${col} row in ${file}`);
    t.rows[i]![j] = value;
    writeCsv(dir, file, t);
    return new RegExp(`${file.replace('.', '\\.')}: (\\d+ problems:\\n {2})?row ${i + 1} \\(line ${i + 2}, USUBJID [^)]+\\), column ${col.replace('.', '\\.')}: expected`);
  };
}

/** Repeats data row `i` right after itself: the copy (row i + 2) is the duplicate. */
function duplicateRow(file: string, keyCols: string, i = 0): Corrupt {
  return (dir) => {
    const t = readCsv(dir, file);
    t.rows.splice(i + 1, 0, [...t.rows[i]!]);
    writeCsv(dir, file, t);
    return new RegExp(`${file.replace('.', '\\.')}: row ${i + 2} \\(line ${i + 3}\\), columns ${keyCols}: .* already appears in row ${i + 1} \\(line ${i + 2}\\)`);
  };
}

const isRandomised = (r: string[], t: Table) => r[t.header.indexOf('RANDFL')] === 'Y';
const hasEvent = (r: string[], t: Table) => r[t.header.indexOf('CNSR')] === '0';

describe.concurrent('analyze: each bad ADaM value is exit code 2 naming file, row and column', () => {
  it.each<[string, Corrupt]>([
    ['ADSL: a duplicated USUBJID', duplicateRow('adsl.csv', 'USUBJID')],
    ['ADEFF: a duplicated record', duplicateRow('adeff.csv', 'USUBJID, PARAMCD, AVISIT', 3)],
    ['ADTTE: a duplicated record', duplicateRow('adtte.csv', 'USUBJID, PARAMCD', 5)],
    ['ADTTE: CNSR 2', setCell('adtte.csv', 'CNSR', '2', hasEvent)],
    ['ADTTE: CNSR NA', setCell('adtte.csv', 'CNSR', 'NA')],
    ['ADTTE: CNSR empty', setCell('adtte.csv', 'CNSR', '')],
    ['ADTTE: CNSR "yes"', setCell('adtte.csv', 'CNSR', 'yes')],
    ['ADTTE: a negative AVAL', setCell('adtte.csv', 'AVAL', '-4.5')],
    ['ADTTE: AVAL NA', setCell('adtte.csv', 'AVAL', 'NA')],
    ['ADTTE: AVAL empty', setCell('adtte.csv', 'AVAL', '')],
    ['ADTTE: AVAL text', setCell('adtte.csv', 'AVAL', 'day 12')],
    ['ADTTE: AVAL Infinity', setCell('adtte.csv', 'AVAL', 'Infinity')],
    ['ADTTE: AVAL in hexadecimal', setCell('adtte.csv', 'AVAL', '0x1F')],
    ['ADAE: AETOXGR 9', setCell('adae.csv', 'AETOXGR', '9')],
    ['ADAE: AETOXGR NA', setCell('adae.csv', 'AETOXGR', 'NA')],
    ['ADAE: AETOXGR 2.5', setCell('adae.csv', 'AETOXGR', '2.5')],
    ['ADAE: AESER "maybe"', setCell('adae.csv', 'AESER', 'maybe')],
    ['ADAE: AEDECOD empty', setCell('adae.csv', 'AEDECOD', '')],
    ['ADAE: AEDECOD blank', setCell('adae.csv', 'AEDECOD', '  ')],
    [
      'ADTTE: the planned PARAMCD renamed on every row',
      (dir) => {
        renameParamcd(dir, 'adtte.csv', 'SURV');
        return /^vtrial: adtte\.csv: no row has PARAMCD "TTE", the parameter of the planned endpoint TTE; the file holds PARAMCD "SURV"$/m;
      },
    ],
    [
      'ADEFF: the planned PARAMCD renamed on every row',
      (dir) => {
        renameParamcd(dir, 'adeff.csv', 'Y2');
        return /adeff\.csv: no row has PARAMCD "Y", the parameter of the planned endpoint Y_CHG; the file holds PARAMCD "Y2"/;
      },
    ],
    [
      'ADEFF: BASE NA at the endpoint visit where the ANCOVA needs it',
      (dir) => {
        const t = readCsv(dir, 'adeff.csv');
        const i = t.rows.findIndex((r) => r[t.header.indexOf('AVISIT')] === 'Week 12');
        t.rows[i]![t.header.indexOf('BASE')] = 'NA';
        writeCsv(dir, 'adeff.csv', t);
        return new RegExp(`adeff\\.csv: row ${i + 1} \\(USUBJID "R1-\\d{6}"\\), column BASE: BASE is missing at the endpoint's visit`);
      },
    ],
    ['ADEFF: AVAL text', setCell('adeff.csv', 'AVAL', 'high', (r, t) => r[t.header.indexOf('AVISIT')] === 'Week 12')],
    ['ADEFF: CHG 1e999 (overflows to Infinity)', setCell('adeff.csv', 'CHG', '1e999', (r, t) => r[t.header.indexOf('AVISIT')] === 'Week 12')],
    ['ADEFF: BASE NaN', setCell('adeff.csv', 'BASE', 'NaN')],
    ['ADSL: RANDFL "yes"', setCell('adsl.csv', 'RANDFL', 'yes')],
    ['counterfactual: NA', setCell('counterfactual.csv', 'TTE.a', 'NA')],
    ['counterfactual: text', setCell('counterfactual.csv', 'Y_CHG.b', 'n/a')],
    ['counterfactual: a duplicated USUBJID', duplicateRow('counterfactual.csv', 'USUBJID', 2)],
    [
      'ADSL: TRT01A not an arm of the protocol',
      (dir) => {
        setCell('adsl.csv', 'TRT01A', 'c', isRandomised)(dir);
        return /adsl\.csv: TRT01A holds arm "c" that the protocol does not define \(its arms: a, b\); first at row \d+, column TRT01A/;
      },
    ],
    [
      'ADTTE: a subject that ADSL does not list',
      (dir) => {
        setCell('adtte.csv', 'USUBJID', 'R9-999999')(dir);
        return /adtte\.csv: row 1 \(line 2\), column USUBJID: "R9-999999" is not a subject of .*adsl\.csv/;
      },
    ],
    [
      'ADTTE: the CNSR column missing',
      (dir) => {
        const t = readCsv(dir, 'adtte.csv');
        const j = t.header.indexOf('CNSR');
        writeCsv(dir, 'adtte.csv', { header: t.header.filter((_, k) => k !== j), rows: t.rows.map((r) => r.filter((_, k) => k !== j)) });
        return /adtte\.csv: missing column CNSR/;
      },
    ],
    [
      'ADTTE: AVAL named twice in the header',
      (dir) => {
        const t = readCsv(dir, 'adtte.csv');
        t.header[t.header.indexOf('AVALU')] = 'AVAL';
        writeCsv(dir, 'adtte.csv', t);
        return /adtte\.csv: column "AVAL" appears twice in the header/;
      },
    ],
  ])('%s', async (what, corrupt) => {
    const dir = join(tempDir('vtrial-adv-adam-'), 'run');
    cpSync(base, dir, { recursive: true });
    const message = corrupt(dir);
    const before = snapshotTree(dir);
    const r = await vtrial(['analyze', dir, '--protocol', join(work, 'p.yaml'), '--out', join(dir, 'again')], { timeoutMs: LIMIT });
    expectClean(r, 2, what);
    expect(r.stderr).toMatch(message);
    expectPreserved(before, dir, what);
  });
});

describe.concurrent('analyze: legal input still works', () => {
  it('re-analysing the run reproduces its efficacy.csv byte for byte', async () => {
    const dir = join(tempDir('vtrial-adv-adam-'), 'run');
    cpSync(base, dir, { recursive: true });
    const before = snapshotTree(dir);
    const r = await vtrial(['analyze', dir, '--protocol', join(work, 'p.yaml'), '--out', join(dir, 'again'), '--quiet'], { timeoutMs: LIMIT });
    expectClean(r, 0);
    expect(readFileSync(join(dir, 'again', 'efficacy.csv'), 'utf8')).toBe(readFileSync(join(base, 'efficacy.csv'), 'utf8'));
    expectPreserved(before, dir);
  });
  it('an NA or empty AVAL in ADEFF is a missed visit, not an error', async () => {
    const dir = join(tempDir('vtrial-adv-adam-'), 'run');
    cpSync(base, dir, { recursive: true });
    const week12 = (r: string[], t: Table) => r[t.header.indexOf('AVISIT')] === 'Week 12';
    const t = readCsv(dir, 'adeff.csv');
    const [aval, chg] = [t.header.indexOf('AVAL'), t.header.indexOf('CHG')];
    const rows = t.rows.filter((r) => week12(r, t));
    rows[0]![aval] = 'NA';
    rows[0]![chg] = 'NA';
    rows[1]![aval] = '';
    rows[1]![chg] = '';
    writeCsv(dir, 'adeff.csv', t);
    const r = await vtrial(['analyze', dir, '--protocol', join(work, 'p.yaml'), '--out', join(dir, 'again'), '--format', 'json'], { timeoutMs: LIMIT });
    expectClean(r, 0);
    const original = parse(readFileSync(join(base, 'efficacy.csv')), { columns: true }) as Record<string, string>[];
    const now = parse(readFileSync(join(dir, 'again', 'efficacy.csv')), { columns: true }) as Record<string, string>[];
    const n = (x: Record<string, string>[]) => Number(x[0]!.n_arm) + Number(x[0]!.n_control);
    expect(n(now)).toBe(n(original) - 2);
  });
});

describe.concurrent('analyze: degenerate 2x2 tables', () => {
  it.each([
    ['every drug subject responds, no placebo subject does', 0],
    ['the same with one subject per arm', 1],
  ])('complete separation: risk difference exact, its SE and interval NA with a note, the test kept (%s)', async (_, perArm) => {
    const dir = join(tempDir('vtrial-adv-adam-'), 'run');
    cpSync(base, dir, { recursive: true });
    const adsl = readCsv(dir, 'adsl.csv');
    const arm = new Map(adsl.rows.map((r) => [r[adsl.header.indexOf('USUBJID')]!, r[adsl.header.indexOf('TRT01A')]!]));
    const t = readCsv(dir, 'adeff.csv');
    const [id, visit, aval] = ['USUBJID', 'AVISIT', 'AVAL'].map((c) => t.header.indexOf(c)) as [number, number, number];
    let rows = t.rows.filter((r) => r[visit] === 'Week 12');
    if (perArm) rows = ['a', 'b'].map((a) => rows.find((r) => arm.get(r[id]!) === a)!);
    for (const r of t.rows) if (r[visit] === 'Week 12' && !rows.includes(r)) r[aval] = 'NA';
    for (const r of rows) r[aval] = arm.get(r[id]!) === 'b' ? '0' : '100';
    writeCsv(dir, 'adeff.csv', t);
    const before = snapshotTree(dir);
    const r = await vtrial(['analyze', dir, '--protocol', join(work, 'p.yaml'), '--out', join(dir, 'again'), '--quiet'], { timeoutMs: LIMIT });
    expectClean(r, 0);
    const resp = (parse(readFileSync(join(dir, 'again', 'efficacy.csv')), { columns: true }) as Record<string, string>[]).find((x) => x.endpoint === 'Y_RESP')!;
    expect([resp.estimate, resp.se, resp.lower, resp.upper]).toEqual(['1', 'NA', 'NA', 'NA']);
    expect(Number(resp.p)).toBeGreaterThan(0);
    expect(resp.note).toMatch(/risk difference interval not estimable: no Wald standard error: every proportion is 0 or 1/);
    expectPreserved(before, dir);
  });
});

describe.concurrent('run: a non-finite simulated value is exit code 1 naming model, parameter or formula, replicate and twin', () => {
  const NAN_FORMULA: [string, string] = ['covariates: "0.02 * (age - 55)"', 'covariates: "0.5 * log(age - 40)"'];
  it.each<[string, [string, string], string[], RegExp]>([
    ['a PK parameter that overflows (ka near 1e308), single run', ['ka: { value: 10, iiv_cv: 0.3 }', 'ka: { value: 1.7e308, iiv_cv: 0.3 }'], [], /^vtrial: simulating twin R1-\d{6} of replicate 1: pk model, parameter ka: the twin's value is Infinity/m],
    ['a NaN covariates formula, single run', NAN_FORMULA, [], /^vtrial: simulating twin R1-\d{6} of replicate 1: endpoint model, covariates formula of TTE: "0\.5 \* log\(age - 40\)" cannot be evaluated for this twin \(age = [\d.]+\): log\(age - 40\) is (NaN|-Infinity)/m],
    ['a NaN covariates formula, replicates with 1 worker', NAN_FORMULA, ['--replicates', '3', '--workers', '1'], /^vtrial: replicate 1 of scenario base: simulating twin R1-\d{6}: endpoint model, covariates formula of TTE/m],
    ['a NaN covariates formula, replicates with 2 workers', NAN_FORMULA, ['--replicates', '3', '--workers', '2', '--allow-oversubscribe'], /^vtrial: replicate 1 of scenario base: simulating twin R1-\d{6}: endpoint model, covariates formula of TTE/m],
    ['an exposure coefficient that makes the hazard 0 (event time Infinity)', ['log_hr_per_unit: -0.5', 'log_hr_per_unit: -1e300'], [], /endpoint model, TTE: the hazard multiplier exp\(linear predictor\) is 0 /],
    ['a covariates formula that overflows the hazard (events at day 0)', ['covariates: "0.02 * (age - 55)"', 'covariates: "1000 * age"'], [], /^vtrial: simulating twin R1-\d{6} of replicate 1: endpoint model, TTE: the hazard multiplier exp\(linear predictor\) is Infinity \(linear predictor \d+(\.\d+)?: covariates \d/m],
  ])('%s', async (what, [from, to], extra, message) => {
    const dir = tempDir('vtrial-adv-sim-');
    const protocol = writeProtocol(dir, from, to);
    const before = snapshotTree(dir);
    const r = await vtrial(['run', protocol, '--out', join(dir, 'out'), ...extra], { timeoutMs: LIMIT });
    expectClean(r, 1, what);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expectPreserved(before, dir, what);
  });
});

describe.concurrent('NaN part-way through a formula is exit code 1 naming the formula, the sub-expression, the twin and its covariates', () => {
  const NAN_CRITERION: [string, string] = ['enrolment: { target: 40 }', 'enrolment: { target: 40, inclusion: [{ id: nan50, expr: "not (sqrt(age - 50) > 2)" }] }'];
  const CRITERION_MESSAGE = /^vtrial: generating twin \d+ of replicate 1: cohort model, inclusion criterion nan50: "not \(sqrt\(age - 50\) > 2\)" cannot be evaluated for this twin \(age = [\d.]+\): sqrt\(age - 50\) is NaN/m;
  it.each<[string, [string, string], string, RegExp]>([
    ['an inclusion criterion, run', NAN_CRITERION, 'run', CRITERION_MESSAGE],
    ['an inclusion criterion, screen', NAN_CRITERION, 'screen', CRITERION_MESSAGE],
    [
      'a ternary in a biomarker baseline formula, run',
      ['baseline: y0', "baseline: 'y0 + (sqrt(age - 50) > 1 ? 1 : 0)'"],
      'run',
      /^vtrial: simulating twin R1-\d{6} of replicate 1: biomarker model, baseline formula of y: "y0 \+ \(sqrt\(age - 50\) > 1 \? 1 : 0\)" cannot be evaluated for this twin \(y0 = [\d.-]+, age = [\d.]+\): sqrt\(age - 50\) is NaN/m,
    ],
  ])('%s', async (what, [from, to], command, message) => {
    const dir = tempDir('vtrial-adv-sim-');
    const protocol = writeProtocol(dir, from, to);
    const before = snapshotTree(dir);
    const r = await vtrial(command === 'run' ? ['run', protocol, '--out', join(dir, 'out')] : ['screen', protocol], { timeoutMs: LIMIT });
    expectClean(r, 1, what);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expectPreserved(before, dir, what);
  });
  it('a ternary in a derived covariate, cohort', async () => {
    const dir = tempDir('vtrial-adv-sim-');
    writeFileSync(join(dir, 'c.yaml'), "name: c\ncovariates:\n  age: { dist: normal, mean: 55, sd: 10 }\n  old: { derive: 'sqrt(age - 50) > 1 ? 1 : 0' }\n");
    const before = snapshotTree(dir);
    const r = await vtrial(['cohort', join(dir, 'c.yaml'), '--n', '40', '--out', join(dir, 'twins.csv')], { timeoutMs: LIMIT });
    expectClean(r, 1);
    expect(r.stderr).toMatch(/^vtrial: generating twin \d+ of replicate 1: cohort model, derived covariate old: "sqrt\(age - 50\) > 1 \? 1 : 0" cannot be evaluated for this twin \(age = [\d.]+\): sqrt\(age - 50\) is NaN/m);
    expectPreserved(before, dir);
  });
});
