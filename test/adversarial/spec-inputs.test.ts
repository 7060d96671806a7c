/**
 * Adversarial spec inputs (issue 9, items 3, 12, 17, 18, 19): names that are Object.prototype
 * keys, alias bombs, files that are not specs, spreadsheet formulas in ids and free text, and
 * expressions users get wrong. Every case runs the real executable with a time limit.
 */
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { expectClean, expectPreserved, snapshotTree, vtrial } from './harness.js';

const T = 30_000;

const COHORT = {
  name: 'Adversarial cohort',
  covariates: {
    sex: { dist: 'categorical', levels: ['female', 'male'], p: [0.5, 0.5] },
    age: { dist: 'normal', mean: 55, sd: 10 },
    y0: { dist: 'normal', mean: 8, sd: 1 },
  },
};

/** A small runnable protocol (JSON is YAML); `edit` changes a deep copy. */
function protocol(edit: (p: any) => void = () => undefined): string {
  const p: any = {
    name: 'Adversarial protocol',
    cohort: 'cohort.yaml',
    enrolment: { target: 16, inclusion: [{ id: 'adult', text: 'Adults', expr: 'age >= 18' }] },
    arms: [
      { id: 'pbo', role: 'control', treatment: { type: 'placebo' } },
      { id: 'act', role: 'active', treatment: { type: 'drug', dose: 10, route: 'oral', interval_days: 1 } },
    ],
    study: { duration_days: 56 },
    visits: { every_days: 28 },
    pk: { compartments: 1, cl: { value: 100 }, v: { value: 50 }, ka: { value: 10 } },
    biomarkers: {
      y: {
        baseline: 'y0',
        drug_effect: { driver: 'concentration', emax: -1, ec50: 0.05 },
        residual_sd: 0.3,
      },
    },
    endpoints: [
      { id: 'Y_CHG', type: 'continuous', biomarker: 'y', visit: 'Week 8' },
      { id: 'TTE', type: 'time_to_event', baseline_hazard: { distribution: 'exponential', median_days: 60 } },
    ],
    adverse_events: [
      { term: 'Headache', body_system: 'Nervous system disorders', background_per_year: 2, grade_probabilities: [0.6, 0.3, 0.1, 0, 0] },
    ],
  };
  edit(p);
  return JSON.stringify(p, null, 1);
}

/** A temp dir with cohort.yaml and the given files; returns the dir. */
function workspace(files: Record<string, string> = {}, cohort: string = JSON.stringify(COHORT, null, 1)): string {
  const dir = tempDir('vtrial-adv-spec-');
  writeFileSync(join(dir, 'cohort.yaml'), cohort);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs in `dir`, asserts the exit code, no stack trace, no hang and no pre-existing file changed. */
async function run(dir: string, args: string[], code: number) {
  const before = snapshotTree(dir);
  const r = await vtrial(args, { cwd: dir, timeoutMs: T });
  expectClean(r, code, args.join(' '));
  expectPreserved(before, dir, args.join(' '));
  return r;
}

/** Every cell of every CSV file below `dir`. */
function csvCells(dir: string): { file: string; cell: string }[] {
  const out: { file: string; cell: string }[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.csv')) for (const row of parse(readFileSync(p)) as string[][]) for (const cell of row) out.push({ file: p, cell });
    }
  };
  walk(dir);
  return out;
}
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const unsafe = (cells: { cell: string }[]) => cells.filter(({ cell }) => /^[=+\-@\t\r]/.test(cell) && !NUMBER.test(cell));

describe('item 3: prototype keys as names', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])('a level named %s works in {by, values} tables and formulas', async (level) => {
    const cohort = `name: c
covariates:
  grp: { dist: categorical, levels: [${level}, other], p: [0.5, 0.5] }
  x: { dist: normal, mean: { by: grp, values: { ${level}: 100, other: -100 } }, sd: 0.001 }
  flag: { derive: 'grp == "${level}" ? 1 : 0' }
`;
    const dir = workspace({}, cohort);
    const r = await run(dir, ['cohort', 'cohort.yaml', '--n', '40', '--out', 'twins.csv', '--quiet'], 0);
    expect(r.stderr).toBe('');
    const rows = parse(readFileSync(join(dir, 'twins.csv')), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(40);
    for (const row of rows) {
      expect(Number(row.x)).toBeCloseTo(row.grp === level ? 100 : -100, 1);
      expect(row.flag).toBe(row.grp === level ? '1' : '0');
    }
    expect(rows.some((row) => row.grp === level)).toBe(true);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty'])('a {by, values} table missing the level %s is a spec error', async (level) => {
    const cohort = `name: c
covariates:
  grp: { dist: categorical, levels: [${level}, other], p: [0.5, 0.5] }
  x: { dist: normal, mean: { by: grp, values: { other: 1 } }, sd: 1 }
`;
    const r = await run(workspace({}, cohort), ['validate', 'cohort.yaml'], 2);
    expect(r.stdout).toMatch(new RegExp(`cohort\\.yaml:4:\\d+ +covariates\\.x\\.mean\\.values: needs a value for every level of grp; missing "${level}"`));
  });

  it('a covariate named constructor is generated and written', async () => {
    const cohort = 'name: c\ncovariates:\n  constructor: { dist: normal, mean: 5, sd: 0.001 }\n  toString: { derive: constructor * 2 }\n';
    const dir = workspace({}, cohort);
    await run(dir, ['cohort', 'cohort.yaml', '--n', '3', '--out', 'twins.csv', '--quiet'], 0);
    const rows = parse(readFileSync(join(dir, 'twins.csv')), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [Math.round(Number(r.constructor)), Math.round(Number(r.toString))])).toEqual([[5, 10], [5, 10], [5, 10]]);
  });

  it.each([
    ['a covariate', 'name: c\ncovariates:\n  age: { dist: normal, mean: 5, sd: 1 }\n  __proto__: { dist: normal, mean: 5, sd: 1 }\n', 'cohort.yaml:4:3 +covariates.__proto__'],
    ['a level key', 'name: c\ncovariates:\n  g: { dist: categorical, levels: [a, b], p: [0.5, 0.5] }\n  x: { dist: normal, mean: { by: g, values: { a: 1, __proto__: 2 } }, sd: 1 }\n', 'cohort.yaml:4:\\d+ +covariates.x.mean.values.__proto__'],
    ['a level', 'name: c\ncovariates:\n  g: { dist: categorical, levels: [a, __proto__], p: [0.5, 0.5] }\n', 'covariates.g.levels\\[1\\]'],
    ['a JSON key', '{"name": "c", "covariates": {"__proto__": {"dist": "normal", "mean": 1, "sd": 1}}}', 'covariates.__proto__'],
  ])('__proto__ as %s is a spec error naming where it is', async (_what, cohort, where) => {
    const r = await run(workspace({}, cohort), ['validate', 'cohort.yaml'], 2);
    expect(r.stdout).toMatch(new RegExp(`${where}: "__proto__" (cannot be used as a name|is reserved)`));
  });

  it('toString() in a formula is an unknown function, not Object.prototype', async () => {
    const cohort = 'name: c\ncovariates:\n  a: { dist: normal, mean: 0, sd: 1 }\n  y: { derive: toString() }\n';
    const r = await run(workspace({}, cohort), ['validate', 'cohort.yaml'], 2);
    expect(r.stdout).toMatch(/covariates\.y\.derive: unknown function "toString"; functions: abs/);
  });

  it('a correlation variable named toString is "not a covariate"', async () => {
    const cohort = 'name: c\ncovariates:\n  a: { dist: normal, mean: 0, sd: 1 }\ncorrelation: { variables: [a, toString], matrix: [[1, 0], [0, 1]] }\n';
    const r = await run(workspace({}, cohort), ['validate', 'cohort.yaml'], 2);
    expect(r.stdout).toMatch(/correlation\.variables\[1\]: "toString" is not a covariate of this cohort/);
  });

  it('arms named constructor and toString run with finite results; a hazard ratio for one only', async () => {
    const dir = workspace({
      'p.yaml': protocol((p) => {
        p.arms[0].id = 'constructor';
        p.arms[1].id = 'toString';
        p.endpoints[1].hazard_ratio = { toString: 0.5 };
      }),
    });
    await run(dir, ['run', 'p.yaml', '--out', 'out', '--quiet', '--seed', '3'], 0);
    const eff = parse(readFileSync(join(dir, 'out', 'efficacy.csv')), { columns: true }) as Record<string, string>[];
    expect(eff.map((r) => [r.endpoint, r.arm, r.control])).toEqual([['Y_CHG', 'toString', 'constructor'], ['TTE', 'toString', 'constructor']]);
    for (const r of eff) expect(Number.isFinite(Number(r.true_effect))).toBe(true);
  });

  it('a scenario path through __proto__ is "no value to override", not a prototype write', async () => {
    const dir = workspace({ 'p.yaml': protocol((p) => (p.scenarios = [{ name: 'evil', set: { 'enrolment.__proto__.polluted': 1 } }])) });
    const r = await run(dir, ['run', 'p.yaml', '--replicates', '2', '--workers', '1', '--keep-patients', '0', '--out', 'out', '--quiet'], 2);
    expect(r.stderr).toMatch(/scenarios\[0\]\.set\.enrolment\.__proto__\.polluted: "enrolment\.__proto__\.polluted" is not an overridable path: "__proto__" names no protocol value/);
  });
});

describe('item 12: every problem, every file', () => {
  const BOMB = 'name: bomb\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n';

  it('a YAML alias bomb is a spec error naming the file (exit 2)', async () => {
    const r = await run(workspace({ 'bomb.yaml': BOMB }), ['cohort', 'bomb.yaml', '--n', '2', '--out', 'x.csv'], 2);
    expect(r.stderr).toMatch(/bomb\.yaml: 1 problem in the spec\n {2}bomb\.yaml {2}\(top level\): too many YAML aliases/);
  });

  it('validate reports every file independently, the alias bomb included', async () => {
    const dir = workspace({ 'bomb.yaml': BOMB, 'bad.yaml': 'name: c\ncovariates:\n  a: { dist: normal, mean: 0, sd: -1 }\n' });
    const r = await run(dir, ['validate', 'bomb.yaml', 'cohort.yaml', 'bad.yaml'], 2);
    expect(r.stdout).toMatch(/invalid +bomb\.yaml[\s\S]*too many YAML aliases/);
    expect(r.stdout).toMatch(/ok +cohort\.yaml/);
    expect(r.stdout).toMatch(/invalid +bad\.yaml[\s\S]*covariates\.a\.sd: expected a number > 0, found -1/);
  });

  it('one stray "}" is one problem: the first syntax error, its line quoted, and how many follow (B17)', async () => {
    const text = readFileSync('test/fixtures/protocols/cohort.yaml', 'utf8').replace(/\n/, '\n}\n');
    const r = await run(workspace({ 'stray.yaml': text }), ['validate', 'stray.yaml'], 2);
    expect(r.stdout).toMatch(/stray\.yaml: 1 problem in the spec\n {4}stray\.yaml:2:1 +\(top level\): not valid YAML\/JSON: Unexpected flow-map-end token in YAML stream: "}" \(line 2 reads "}"\); fix this one first; \d+ more syntax errors follow\n/);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('a self-referencing alias ends with a spec error, not a hang or a crash', async () => {
    const r = await run(workspace({ 'loop.yaml': 'name: c\nloop: &a { again: *a }\ncovariates: { a: { dist: normal, mean: 0, sd: 1 } }\n' }), ['validate', 'loop.yaml'], 2);
    expect(r.stdout).toMatch(/loop\.yaml:2:1 +loop: unknown key/);
  });

  it('a wrong enum in one arm hides neither the other arms, the other sections nor the criteria', async () => {
    const dir = workspace({
      'p.yaml': protocol((p) => {
        p.arms[0].treatment.type = 'placebox';
        p.arms[1].role = 'actve';
        p.study.duration_days = -5;
        p.enrolment.inclusion[0].expr = 'agee >= 18';
        p.endpoints[0].type = 'continuus';
      }),
    });
    const r = await run(dir, ['validate', 'p.yaml'], 2);
    expect(r.stdout).toMatch(/5 problems in the spec/);
    expect(r.stdout).toMatch(/arms\[0\]\.treatment\.type: expected one of "placebo", "standard_of_care", "drug" \(did you mean "placebo"\?\), found "placebox"/);
    expect(r.stdout).toMatch(/arms\[1\]\.role: expected one of "control", "active", found "actve"/);
    expect(r.stdout).toMatch(/study\.duration_days: expected a number > 0, found -5/);
    expect(r.stdout).toMatch(/enrolment\.inclusion\[0\]\.expr: unknown name "agee" \(did you mean "age"\?\)/);
    expect(r.stdout).toMatch(/endpoints\[0\]\.type: expected one of "continuous", "responder", "time_to_event" \(did you mean "continuous"\?\)/);
  });

  it('a misspelt dist does not hide the entry\'s other problems', async () => {
    const r = await run(workspace({}, 'name: c\ncovariates:\n  a: { dist: normall, mean: 0, sd: -1 }\n'), ['validate', 'cohort.yaml'], 2);
    expect(r.stdout).toMatch(/2 problems in the spec/);
    expect(r.stdout).toMatch(/covariates\.a\.dist: .*\(did you mean "normal"\?\)/);
    expect(r.stdout).toMatch(/covariates\.a\.sd: expected a number > 0, found -1/);
  });

  it('a missing cohort file is reported at the protocol\'s cohort: line', async () => {
    const dir = workspace({ 'p.yaml': 'name: p\nenrolment: { target: 3 }\ncohort: no-such-cohort.yaml\n' });
    const r = await run(dir, ['screen', 'p.yaml'], 2);
    expect(r.stderr).toMatch(/p\.yaml:3:9 +cohort: cannot load the cohort no-such-cohort\.yaml: file not found/);
  });
});

describe('item 17: messages quote at most one shortened line of a file', () => {
  it('cohort: pointing at a long text file does not print the file', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `secret${i}:x:${i}:${i}:user ${i}:/home/u${i}:/bin/sh`);
    const dir = workspace({ 'passwd': lines.join('\n') + '\n', 'p.yaml': 'name: p\ncohort: passwd\nenrolment: { target: 3 }\n' });
    const r = await run(dir, ['validate', 'p.yaml'], 2);
    expect(r.stdout).toMatch(/passwd:1:1 +\(top level\): expected a mapping of keys/);
    expect(r.stdout).not.toMatch(/secret1:|secret49/);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThan(200);
  });

  it('an unparsable long expression is quoted shortened', async () => {
    const expr = `age > 1 and ${'age > 2 and '.repeat(200)}age >`;
    const r = await run(workspace({ 'p.yaml': protocol((p) => (p.enrolment.inclusion[0].expr = expr)) }), ['validate', 'p.yaml'], 2);
    expect(r.stdout).toMatch(/enrolment\.inclusion\[0\]\.expr: the expression "age > 1 and age > 2 .{40,80}\.\.\." is incomplete/);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThan(300);
  });
});

describe('item 18: no cell vtrial writes can start a spreadsheet formula', () => {
  const FORMULA = '=HYPERLINK("http://evil","x")';
  it.each([
    ['an arm id', (p: any) => (p.arms[1].id = FORMULA), /arms\[1\]\.id: expected a name of letters, digits and _/],
    ['an endpoint id', (p: any) => (p.endpoints[0].id = '+cmd'), /endpoints\[0\]\.id: expected a name of letters/],
    ['a biomarker name', (p: any) => (p.biomarkers = { '@y': p.biomarkers.y }), /biomarkers\.@y: /],
    ['a criterion id', (p: any) => (p.enrolment.inclusion[0].id = '-1+2'), /enrolment\.inclusion\[0\]\.id: expected a name of letters/],
    ['an AE term', (p: any) => (p.adverse_events[0].term = FORMULA), /adverse_events\[0\]\.term: must not begin with =, \+, - or @/],
    ['an AE term with a tab', (p: any) => (p.adverse_events[0].term = '\t=1+1'), /adverse_events\[0\]\.term: expected one line of text without tabs/],
    ['a scenario name', (p: any) => (p.scenarios = [{ name: '@SUM(A1)', no_effect: true }]), /scenarios\[0\]\.name: expected a name of letters/],
  ])('%s that starts a formula is a spec error (exit 2)', async (_what, edit, message) => {
    const r = await run(workspace({ 'p.yaml': protocol(edit) }), ['validate', 'p.yaml'], 2);
    expect(r.stdout).toMatch(message);
  });

  it.each([
    ['a level', 'name: c\ncovariates:\n  g: { dist: categorical, levels: ["=1+1", b], p: [0.5, 0.5] }\n', /covariates\.g\.levels\[0\]: must not begin with =, \+, - or @/],
    ['a covariate name', 'name: c\ncovariates:\n  "-x": { dist: normal, mean: 0, sd: 1 }\n', /covariates\.-x: a covariate name must be letters/],
    ['a derived level', 'name: c\ncovariates:\n  a: { dist: normal, mean: 0, sd: 1 }\n  g: { derive: \'a > 0 ? "@cmd" : "low"\' }\n', /covariates\.g\.derive: the level "@cmd" is not allowed: must not begin with/],
  ])('%s that starts a formula is a spec error (exit 2)', async (_what, cohort, message) => {
    const r = await run(workspace({}, cohort), ['validate', 'cohort.yaml'], 2);
    expect(r.stdout).toMatch(message);
  });

  it('an empirical category that starts a formula is a data error naming row and column', async () => {
    const dir = workspace(
      { 'base.csv': 'id,grp,age\n1,a,50\n2,=cmd|\' /C calc\'!A0,60\n' },
      'name: c\nempirical:\n  file: base.csv\n  columns: { grp: { type: categorical }, age: { type: numeric } }\n',
    );
    const r = await run(dir, ['cohort', 'cohort.yaml', '--n', '3', '--out', 'x.csv'], 2);
    expect(r.stderr).toMatch(/base\.csv: row 2 \(line 3\), column "grp": the category "=cmd\|' \/C calc'!A0" is not allowed: must not begin with/);
  });

  it('free text (labels, body systems, event names) is neutralised in every CSV of a run, numbers stay numbers', async () => {
    const dir = workspace({
      'p.yaml': protocol((p) => {
        p.name = FORMULA;
        p.arms[1].label = '+1+cmd';
        p.biomarkers.y.label = '@SUM(1,1)';
        p.endpoints[0].label = FORMULA;
        p.endpoints[1].label = '-2+3';
        p.endpoints[1].event = '=EVENT()';
        p.adverse_events[0].body_system = '\t=cmd';
        p.enrolment.inclusion[0].text = '\r=cmd';
      }),
    });
    await run(dir, ['run', 'p.yaml', '--out', 'out', '--quiet', '--seed', '5'], 0);
    const cells = csvCells(join(dir, 'out'));
    expect(cells.length).toBeGreaterThan(100);
    expect(unsafe(cells)).toEqual([]);
    const all = cells.map((c) => c.cell);
    expect(all).toContain(`'${FORMULA}`); // the endpoint label in efficacy.csv
    expect(all).toContain("'=EVENT()"); // EVNTDESC in adtte.csv
    expect(all).toContain("'\t=cmd"); // AEBODSYS in adae.csv
    expect(all.some((c) => /^-\d/.test(c))).toBe(true); // negative numbers are written as numbers
  });

  it('analyze neutralises formulas that come from an imported ADaM export', async () => {
    const dir = workspace({ 'p.yaml': protocol() });
    await run(dir, ['run', 'p.yaml', '--out', 'out', '--quiet', '--seed', '5'], 0);
    const adae = readFileSync(join(dir, 'out', 'adae.csv'), 'utf8').split('\n');
    expect(adae.length).toBeGreaterThan(2);
    writeFileSync(join(dir, 'out', 'adae.csv'), adae.map((l, i) => (i > 0 ? l.replace('Headache', `"${FORMULA.replace(/"/g, '""')}"`) : l)).join('\n'));
    await run(dir, ['analyze', 'out', '--protocol', 'p.yaml', '--out', 'again', '--quiet'], 0);
    const cells = csvCells(join(dir, 'again'));
    expect(unsafe(cells)).toEqual([]);
    expect(cells.map((c) => c.cell)).toContain(`'${FORMULA}`);
  });
});

describe('item 19: hints for common expression mistakes', () => {
  it.each([
    ['age = 30', /expr: cannot parse "age = 30": Unexpected "=" at character 5 \(to compare, write "=="/],
    ['age => 30', /\(did you mean ">="\?\)/],
    ['age < 30 and', /expr: the expression is incomplete: "and" needs a true\/false condition on each side/],
    ['age < 30 or', /the expression is incomplete: "or" needs/],
    ['age <', /expr: the expression "age <" is incomplete: Expected expression after </],
    ['(age > 3', /the expression "\(age > 3" is incomplete: Unclosed \(/],
  ])('%s', async (expr, message) => {
    const r = await run(workspace({ 'p.yaml': protocol((p) => (p.enrolment.inclusion[0].expr = expr)) }), ['validate', 'p.yaml'], 2);
    expect(r.stdout).toMatch(message);
  });
});
