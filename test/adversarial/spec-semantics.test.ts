/**
 * Adversarial cases on spec semantics, through the real executable: scenario overrides that
 * used to bypass validation, runaway sizes, and parameter codes that collided. Every case: the
 * exit code, no stack trace, bounded time, and no pre-existing file lost or changed.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { expectClean, expectPreserved, snapshotTree, vtrial } from './harness.js';
import { drugProtocol } from '../fixtures/protocols/drug-protocol.js';

const dir = tempDir('vtrial-adv-spec-');
copyFileSync('test/fixtures/protocols/cohort.yaml', join(dir, 'cohort.yaml'));
writeFileSync(join(dir, 'young.yaml'), readFileSync('test/fixtures/protocols/cohort.yaml', 'utf8').replace('mean: 55, sd: 10', 'mean: 25, sd: 5'));
// A file the user wrote, which no failed command may touch.
writeFileSync(join(dir, 'notes.txt'), 'keep me\n');

const BASE = drugProtocol('Adversarial', 20);
let n = 0;
function write(text: string): string {
  const name = `a${++n}.yaml`;
  writeFileSync(join(dir, name), text);
  return name;
}
const withScenario = (set: string) => write(`${BASE}scenarios:\n  - { name: sc, set: { ${set} } }\n`);
const T = { cwd: dir, timeoutMs: 30_000 };

/** Every refused file and what its message says: `validate` on all of them at once, at the end. */
const REFUSED: [string, RegExp][] = [];

/** `run` refuses the file with exit 2 and the message, writing nothing and changing nothing. */
async function refused(file: string, expected: RegExp, args: string[] = ['--replicates', '2', '--workers', '1']): Promise<void> {
  REFUSED.push([file, expected]);
  const before = snapshotTree(dir);
  const r = await vtrial(['run', file, ...args, '--out', `out-${file}`], T);
  expectClean(r, 2, `run ${file}`);
  expect(r.stderr).toMatch(expected);
  expect(existsSync(join(dir, `out-${file}`))).toBe(false);
  expectPreserved(before, dir, file);
}

describe('scenario overrides bypass nothing', () => {
  const CASES: [string, RegExp][] = [
    ['biomarkers.hba1c.residual_sd: -1', /scenarios\[0\]\.set\.biomarkers\.hba1c\.residual_sd: in scenario sc: expected a number >= 0, found -1/],
    ['arms.01.allocation: 2', /scenarios\[0\]\.set\.arms\.01\.allocation: "arms\.01\.allocation" is not an overridable path: "01" is not a list index \(write 1, without leading zeros\)/],
    ['endpoints.00.visit: "Week 4"', /"00" is not a list index \(write 0, without leading zeros\)/],
    ['pk.cl.value: -3', /scenarios\[0\]\.set\.pk\.cl\.value: .*expected a number > 0, found -3/],
    ['enrolment.target: 0.5', /enrolment\.target: .*expected a whole number >= 1, found 0\.5/],
    ['enrolment.inclusion.0.expr: "age >="', /:17:\d+ +scenarios\[0\]\.set\.enrolment\.inclusion\.0\.expr: .*the expression "age >=" is incomplete/],
    ['enrolment.inclusion.0.expr: "nonsense_name > 1"', /unknown name "nonsense_name"/],
    ['cohort: no-such-cohort.yaml', /scenarios\[0\]\.set\.cohort: .*no-such-cohort\.yaml.*file not found/],
    ['arms.length: 3', /scenarios\[0\]\.set\.arms\.length: "arms\.length": arms is a list of \d+; expected an index/],
    ['endpoints.length: 0', /endpoints is a list of \d+; expected an index/],
    ['constructor.name: x', /no value at "constructor" in the protocol/],
    ['prototype: 1', /unknown key/],
    ['arms.0.treatment: placebo', /scenarios\[0\]\.set\.arms\.0\.treatment: .*expected a treatment/],
    ['arms.9.allocation: 2', /no value at "arms\[9\]"/],
    ['"a..b": 1', /not a dotted path/],
    ['scenarios.0.name: other', /cannot be overridden/],
    ['biomarkers.hba1c.drug_effect.emaxx: 1', /unknown key \(did you mean "emax"\?\)/],
    ['randomisation.block_size: 3', /no value at "randomisation"/],
    ['endpoints.0.visit: "Week 99"', /unknown visit "Week 99"/],
    ['enrolment.max_screened: 5', /must be at least the target \(20\), found 5/],
  ];
  it.each(CASES)('set: { %s } is exit 2 in run --replicates', async (set, expected) => {
    await refused(withScenario(set), expected);
  });

  it('a scenario key written as __proto__ reaches no prototype', async () => {
    await refused(write(`${BASE}scenarios:\n  - name: sc\n    set:\n      __proto__.polluted: 1\n`), /not an overridable path: "__proto__"/);
  });

  it('a set value that is a list or mapping is a spec error', async () => {
    await refused(write(`${BASE}scenarios:\n  - { name: sc, set: { enrolment.target: [1, 2] } }\n`), /scenarios\[0\]\.set/);
  });
});

describe('runaway sizes are refused up front', () => {
  const replace = (from: string, to: string) => write(BASE.replace(from, to));
  const CASES: [string, () => string, RegExp][] = [
    ['target 1e9', () => replace('target: 20', 'target: 1000000000'), /enrolment\.target: 1000000000 is above the limit of 1000000 .*limits: \{ max_enrolled: 1000000000 \}/],
    ['max_screened 1e12', () => replace('target: 20', 'target: 20\n  max_screened: 1000000000000'), /limits: \{ max_screened: /],
    ['duration 1e308', () => replace('{ duration_days: 84 }', '{ duration_days: 1e308 }'), /study\.duration_days: 1e\+308 is above the limit of 36525/],
    ['every_days 1e-300', () => replace('{ every_days: 28 }', '{ every_days: 1e-300 }'), /visits\.every_days: a schedule of about .* visits is above the limit of 1000/],
    ['every_days 0.001', () => replace('{ every_days: 28 }', '{ every_days: 0.001 }'), /84001 visits .*limits: \{ max_visits: 84001 \}/],
    ['block_size 6e8', () => replace('study:', 'randomisation: { block_size: 600000000 }\nstudy:'), /randomisation\.block_size: 600000000 is above the limit of 1000/],
    ['external_n 1e8', () => replace('study:', 'control_arm: { mode: hybrid, external_n: 100000000 }\nstudy:'), /control_arm\.external_n: 100000000 is above/],
    ['a scenario raising the target to 1e9', () => withScenario('enrolment.target: 1000000000'), /scenarios\[0\]\.set\.enrolment\.target: in scenario sc: 1000000000 is above the limit/],
  ];
  it.each(CASES)('%s: exit 2 naming the limit, in run', async (_, make, expected) => {
    // Single runs and replicate runs alike.
    await refused(make(), expected, n % 2 ? [] : ['--replicates', '2', '--workers', '1']);
  });

  it.each([
    ['--target', '5000000', /--target: 5000000 is above the limit of 1000000 twins enrolled .*limits: \{ max_enrolled: 5000000 \}/],
    ['--max-screened', '50000000', /--max-screened: 50000000 is above the limit of 10000000 twins screened/],
  ])('screen %s %s is held to the same limits: exit 2', async (flag, value, expected) => {
    const r = await vtrial(['screen', withScenario('enrolment.target: 30'), flag, value], T);
    expectClean(r, 2);
    expect(r.stderr).toMatch(expected);
  });

  it('the limits section lifts a limit: validate then accepts the protocol', async () => {
    const file = write(BASE.replace('{ every_days: 28 }', '{ every_days: 0.05 }') + 'limits: { max_visits: 2000 }\n');
    expectClean(await vtrial(['validate', file], T), 0);
  });

  it('a bad limits section is a spec error', async () => {
    await refused(write(`${BASE}limits: { max_visits: -5, max_everything: 1 }\n`), /limits\.max_visits: expected a whole number >= 1[\s\S]*limits\.max_everything: unknown key/);
  });
});

describe('parameter codes', () => {
  const tte = (id: string, extra = '') => `  - { id: ${id}, type: time_to_event${extra}, baseline_hazard: { distribution: exponential, median_days: 60 } }\n`;
  it('two endpoints that would share a PARAMCD are refused, naming both', async () => {
    await refused(write(BASE + tte('survival_a') + tte('survival_b')), /"survival_b" would have the parameter code SURVIVAL of endpoint "survival_a"/);
  });

  it('with a distinct paramcd, ADTTE has each endpoint under its own code', async () => {
    const file = write(BASE + tte('survival_a') + tte('survival_b', ', paramcd: SURV_B'));
    const r = await vtrial(['run', file, '--out', 'tte-run'], T);
    expectClean(r, 0);
    const codes = readFileSync(join(dir, 'tte-run', 'adtte.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[2]);
    expect(new Set(codes)).toEqual(new Set(['SURVIVAL', 'SURV_B']));
    expect(codes.filter((c) => c === 'SURV_B')).toHaveLength(20);
  });
});

describe('scenario overrides that are valid take effect', () => {
  it('criteria and cohort overrides change the screening flow of their scenarios', async () => {
    const file = write(`${BASE}scenarios:\n  - { name: strict, set: { enrolment.inclusion.0.expr: age >= 65 } }\n  - { name: young, set: { cohort: young.yaml, enrolment.inclusion.0.expr: age < 30 } }\n`);
    mkdirSync(join(dir, 'flows'));
    const r = await vtrial(['run', file, '--replicates', '2', '--workers', '1', '--keep-patients', '0', '--out', 'flows/oc', '--format', 'json'], T);
    expectClean(r, 0);
    const s = JSON.parse(r.stdout) as { scenarios: { name: string; trial: { meanScreened: number; screenFailureRate: number } }[] };
    const fail = Object.fromEntries(s.scenarios.map((x) => [x.name, x.trial.screenFailureRate]));
    // age 55 +- 10: ~2% under 30, ~84% under 65; the young cohort (25 +- 5): ~16% are 30 or older.
    expect(fail.base!).toBeLessThan(0.15);
    expect(fail.strict!).toBeGreaterThan(0.6);
    expect(fail.young!).toBeGreaterThan(0.02);
    expect(fail.young!).toBeLessThan(0.45);
  });
});

describe('an analysis section with settings only (B6)', () => {
  const TWO = BASE + '  - { id: resp, type: responder, biomarker: hba1c, visit: Week 12, below: 7 }\n';
  it('analysis: {alpha: 0.01} analyses every endpoint by default, at alpha 0.01 (run and replicates; validate accepts it)', async () => {
    const file = write(`${TWO}analysis: { alpha: 0.01 }\nscenarios:\n  - { name: sc, set: { analysis.alpha: 0.02 } }\n`);
    const v = await vtrial(['validate', file], T);
    expectClean(v, 0);
    const r = await vtrial(['run', file, '--out', `single-${file}`, '-q'], T);
    expectClean(r, 0);
    const eff = readFileSync(join(dir, `single-${file}`, 'efficacy.csv'), 'utf8').trim().split('\n');
    const cols = eff[0]!.split(',');
    const rows = eff.slice(1).map((l) => l.split(','));
    expect(rows.map((x) => [x[cols.indexOf('endpoint')], x[cols.indexOf('role')], x[cols.indexOf('method')], x[cols.indexOf('alpha')]])).toEqual([
      ['chg', 'primary', 'ancova', '0.01'],
      ['resp', 'secondary', 'chisq', '0.01'],
    ]);
    const m = await vtrial(['run', file, '--replicates', '2', '--workers', '1', '--keep-patients', '0', '--out', `oc-${file}`, '-q'], T);
    expectClean(m, 0);
    const oc = readFileSync(join(dir, `oc-${file}`, 'operating-characteristics.csv'), 'utf8').trim().split('\n').slice(1);
    expect(oc.map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['base,chg,primary', 'base,resp,secondary', 'sc,chg,primary', 'sc,resp,secondary']);
  });
  it('primary: [] and no secondary is a spec error (exit 2, validate too), not header-only tables', async () => {
    await refused(write(`${TWO}analysis: { alpha: 0.01, primary: [] }\n`), /analysis: names no analyses \(primary and secondary are both empty\)/);
  });
});

describe('replicate failures name the replicate and the scenario (B14)', () => {
  it.each([
    ['a shortfall in scenario strict (exit 3)', 'enrolment.inclusion.0.expr: age >= 500, enrolment.max_screened: 40', 3, /^vtrial: replicate 1 of scenario strict: enrolment target not reached: 0 of 20 twins enrolled/],
    ['a non-finite value in scenario strict (exit 1)', 'biomarkers.hba1c.residual_sd: 1e308', 1, /^vtrial: replicate 1 of scenario strict: simulating twin R1-\d{6}: biomarker model/],
  ])('%s, with 1 and 2 workers', async (_what, set, code, expected) => {
    const file = write(`${BASE}scenarios:\n  - { name: strict, set: { ${set} } }\n`);
    for (const workers of ['1', '2']) {
      const r = await vtrial(['run', file, '--replicates', '2', '--workers', workers, '--allow-oversubscribe', '--out', `fail-${file}-${workers}`, '-q'], T);
      expectClean(r, code, `${workers} workers`);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).not.toMatch(/scenario index|Error:/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('validate agrees with run', () => {
  it('validate refuses every file run refused (exit 2), with the same problems', async () => {
    expect(REFUSED.length).toBeGreaterThan(25);
    const v = await vtrial(['validate', ...REFUSED.map(([f]) => f)], { ...T, timeoutMs: 60_000 });
    expectClean(v, 2);
    const text = v.stdout + v.stderr;
    // One block per file: "invalid  <file> (protocol)" and its problems.
    const blocks = new Map(text.split(/\n(?=\S)/).map((b) => [b.split(/\s+/)[1]!, b]));
    for (const [file, expected] of REFUSED) {
      expect(blocks.get(file), file).toMatch(/^invalid /);
      expect(blocks.get(file), file).toMatch(expected);
    }
  });
});
