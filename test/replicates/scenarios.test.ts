/**
 * Scenarios go through the same schema and compilation as the protocol, in `validate` exactly
 * as in `run`: a bad override is a spec error at its `set` entry, and overrides of the
 * enrolment criteria and the cohort take effect.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/app/replicates-command.js';
import { validateCommand } from '../../src/app/validate-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { compileRun } from '../../src/replicates/compile-run.js';
import { runReplicate } from '../../src/replicates/replicate.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';
import { drugProtocol } from '../fixtures/protocols/drug-protocol.js';

const dir = tempDir();
copyFileSync('test/fixtures/protocols/cohort.yaml', join(dir, 'cohort.yaml'));
// The same cohort, 30 years younger.
writeFileSync(join(dir, 'young.yaml'), readFileSync('test/fixtures/protocols/cohort.yaml', 'utf8').replace('mean: 55, sd: 10', 'mean: 25, sd: 5'));

const BASE = drugProtocol('Scenario checks', 40) + 'scenarios:\n';
let n = 0;
function protocol(scenarios: string[]): string {
  const file = join(dir, `p${++n}.yaml`);
  writeFileSync(file, BASE + scenarios.map((s) => `  - ${s}\n`).join(''));
  return file;
}
function specError(f: () => unknown): SpecError {
  try {
    f();
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('accepted');
}

// Each bad override, the key it is reported at, and what the message says.
const BAD: [string, string, RegExp][] = [
  ['biomarkers.hba1c.residual_sd: -1', 'biomarkers.hba1c.residual_sd', /expected a number >= 0, found -1/],
  ['pk.cl.value: -3', 'pk.cl.value', /expected a number > 0, found -3/],
  ['enrolment.target: 0.5', 'enrolment.target', /expected a whole number >= 1, found 0.5/],
  ['enrolment.inclusion.0.expr: "age >="', 'enrolment.inclusion.0.expr', /the expression "age >=" is incomplete/],
  ['enrolment.inclusion.0.expr: weight_kg > 50', 'enrolment.inclusion.0.expr', /weight_kg/],
  ['arms.length: 3', 'arms.length', /arms is a list of \d+; expected an index/],
  ['endpoints.length: 0', 'endpoints.length', /endpoints is a list of \d+; expected an index/],
  ['constructor: 1', 'constructor', /unknown key/],
  ['__proto__.x: 1', '__proto__.x', /not an overridable path: "__proto__"/],
  ['scenarios.0.name: x', 'scenarios.0.name', /cannot be overridden/],
  ['arms.7.id: x', 'arms.7.id', /no value at "arms\[7\]"/],
  ['name.first: x', 'name.first', /"name" is a value/],
  ['biomarkers.hba1c.typo: 1', 'biomarkers.hba1c.typo', /unknown key/],
  ['cohort: missing.yaml', 'cohort', /missing\.yaml.*file not found/],
  ['enrolment.max_screened: 10', 'enrolment.max_screened', /must be at least the target \(40\), found 10/],
  ['study.duration_days: 1e308', 'study.duration_days', /above the limit of 36525 days.*limits: \{ max_duration_days/],
  ['visits.every_days: 0.001', 'visits.every_days', /84001 visits is above the limit of 1000/],
  ['endpoints.0.visit: Week 99', 'endpoints.0.visit', /unknown visit "Week 99"/],
];

describe('scenario overrides are checked like the protocol', () => {
  it.each(BAD)('set: { %s } is a spec error at its set entry, in validate and in run alike', (set, key, message) => {
    const file = protocol([`{ name: bad, set: { ${set} } }`]);
    const err = specError(() => loadProtocol(file));
    expect(err.issues.map((i) => i.path)).toEqual([['scenarios', 0, 'set', key]]);
    expect(err.issues[0]!.line).toBe(17);
    expect(err.issues[0]!.message).toMatch(message);
    const v = validateCommand([file]);
    expect(v[0]!.ok).toBe(false);
    expect(v[0]!.problems).toEqual(err.message.split('\n'));
    expect(specError(() => loadRun(file, undefined, 1)).message).toBe(err.message);
  });

  it('reports the problems of every scenario at once', () => {
    const err = specError(() => loadProtocol(protocol(['{ name: a, set: { pk.cl.value: -3 } }', '{ name: b, set: { arms.length: 3, enrolment.target: 0.5 } }'])));
    expect(err.issues.map((i) => i.path)).toEqual([
      ['scenarios', 0, 'set', 'pk.cl.value'],
      ['scenarios', 1, 'set', 'arms.length'],
      ['scenarios', 1, 'set', 'enrolment.target'],
    ]);
  });

  it('a consequence elsewhere in the protocol is reported at the scenario, naming the path', () => {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, BASE.replace('scenarios:\n', 'analysis: { primary: [ { endpoint: chg, method: ancova } ] }\nscenarios:\n') + '  - { name: renamed, set: { endpoints.0.id: other } }\n');
    const err = specError(() => loadProtocol(file));
    expect(err.issues.map((i) => i.path)).toEqual([['scenarios', 0, 'set']]);
    expect(err.issues[0]!.message).toMatch(/^in scenario renamed: analysis\.primary\[0\]\.endpoint: .*chg/);
  });

  it('a scenario cannot be named base, nor twice', () => {
    const err = specError(() => loadProtocol(protocol(['{ name: base }', '{ name: x }', '{ name: x }'])));
    expect(err.issues.map((i) => i.path)).toEqual([
      ['scenarios', 0, 'name'],
      ['scenarios', 2, 'name'],
    ]);
  });
});

describe('names that are also JavaScript property names', () => {
  it('a biomarker named length and an arm named constructor can be overridden like any other', () => {
    const file = join(dir, 'js-names.yaml');
    const text = (BASE + '  - { name: noisy, set: { biomarkers.length.residual_sd: 0.9, hazard: 1 } }\n')
      .replace('hba1c: { baseline', 'length: { baseline')
      .replace('biomarker: hba1c', 'biomarker: length')
      .replace('id: drug, role', 'id: constructor, role')
      .replace(', hazard: 1', '');
    writeFileSync(file, text);
    const p = loadProtocol(file);
    expect(p.scenarios.map((s) => s.spec.biomarkers.length!.residual_sd)).toEqual([0.3, 0.9]);
    expect(p.trial!.arms.map((a) => a.id)).toEqual(['placebo', 'constructor']);
  });
});

describe('scenario overrides take effect', () => {
  const file = protocol([
    '{ name: strict, set: { enrolment.inclusion.0.expr: age >= 60 } }',
    '{ name: young, set: { cohort: young.yaml, enrolment.inclusion.0.expr: age >= 20 } }',
    '{ name: weaker, set: { biomarkers.hba1c.drug_effect.emax: -0.5 } }',
    '{ name: bigger, set: { enrolment.target: 60, enrolment.max_screened: 600 } }',
  ]);
  const run = compileRun(loadRun(file, undefined, 3));
  const rep = (name: string) => runReplicate(run, run.scenarios.findIndex((s) => s.spec.name === name), 0, true);
  const ages = (r: ReturnType<typeof rep>) => {
    const t = r.tables!.find((x) => x.name === 'adsl.csv')!;
    const c = t.columns.indexOf('age');
    return t.rows.filter((row) => row[t.columns.indexOf('ENRLFL')] === 'Y').map((row) => row[c] as number);
  };

  it('overriding an inclusion criterion changes the screening flow (and only the criterion)', () => {
    const base = rep('base').record;
    const strict = rep('strict').record;
    expect(strict.enrolled).toBe(40);
    // Age 55 +- 10: about 98% are at least 30, about 31% at least 60.
    expect(base.screened).toBeLessThan(45);
    expect(strict.screened).toBeGreaterThan(80);
    expect(Math.min(...ages(rep('strict')))).toBeGreaterThanOrEqual(60);
  });

  it('overriding the cohort screens that cohort', () => {
    const young = ages(rep('young'));
    const mean = young.reduce((s, a) => s + a, 0) / young.length;
    expect(mean).toBeGreaterThan(22);
    expect(mean).toBeLessThan(32);
    expect(Math.min(...ages(rep('base')))).toBeGreaterThanOrEqual(30);
    expect(run.scenarios.find((s) => s.spec.name === 'young')!.cohort).not.toBe(run.scenarios[0]!.cohort);
  });

  it('scenarios that do not touch enrolment screen and enrol the same twins (common random numbers)', () => {
    expect(ages(rep('weaker'))).toEqual(ages(rep('base')));
    const bigger = rep('bigger').record;
    expect([bigger.enrolled, run.scenarios.find((s) => s.spec.name === 'bigger')!.maxScreened]).toEqual([60, 600]);
    expect(ages(rep('bigger')).slice(0, 40)).toEqual(ages(rep('base')));
  });

  it('a scenario changing only the target keeps an explicit screening ratio', () => {
    const f = join(dir, 'ratio.yaml');
    writeFileSync(f, BASE.replace('target: 40', 'target: 40\n  max_screened: 100') + '  - { name: half, set: { enrolment.target: 20 } }\n');
    expect(loadProtocol(f).scenarios.map((s) => s.spec.enrolment.max_screened)).toEqual([100, 50]);
  });
});
