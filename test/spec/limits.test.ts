/**
 * Runaway sizes are refused up front as spec errors (so `validate` reports them too), with the
 * limit and how to lift it; the protocol's `limits` section lifts them.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/io/load-specs.js';
import { LIMITS } from '../../src/spec/limits.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';

const dir = tempDir();
copyFileSync('test/fixtures/protocols/cohort.yaml', join(dir, 'cohort.yaml'));

interface Parts {
  enrolment?: string;
  arms?: string;
  randomisation?: string;
  study?: string;
  visits?: string;
  extra?: string;
}
let n = 0;
function protocol(p: Parts): string {
  const file = join(dir, `l${++n}.yaml`);
  writeFileSync(
    file,
    [
      'name: Limits',
      'cohort: cohort.yaml',
      `enrolment: ${p.enrolment ?? '{ target: 40 }'}`,
      'arms:',
      p.arms ?? '  - { id: placebo, role: control, treatment: { type: placebo } }\n  - { id: drug, role: active, treatment: { type: placebo } }',
      ...(p.randomisation ? [`randomisation: ${p.randomisation}`] : []),
      `study: ${p.study ?? '{ duration_days: 84 }'}`,
      `visits: ${p.visits ?? '{ every_days: 28 }'}`,
      'biomarkers: { hba1c: { baseline: y0 } }',
      'endpoints: [ { id: chg, type: continuous, biomarker: hba1c, visit: 84 } ]',
      p.extra ?? '',
    ].join('\n'),
  );
  return file;
}
function problems(file: string): { path: string; message: string }[] {
  try {
    loadProtocol(file);
    return [];
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  }
}

// Each runaway value, where it is reported, and the limit named in the message.
const RUNAWAY: [string, Parts, string, string][] = [
  ['target 1e9', { enrolment: '{ target: 1000000000 }' }, 'enrolment.target', 'max_enrolled: 1000000000'],
  ['max_screened 1e8', { enrolment: '{ target: 40, max_screened: 100000000 }' }, 'enrolment.max_screened', 'max_screened: 100000000'],
  ['duration 1e308', { study: '{ duration_days: 1e308 }', visits: '{ days: [84] }' }, 'study.duration_days', 'max_duration_days: <n>'],
  ['every_days 1e-300', { visits: '{ every_days: 1e-300 }' }, 'visits.every_days', 'max_visits: <n>'],
  ['every_days 0.001', { visits: '{ every_days: 0.001 }' }, 'visits.every_days', 'max_visits: 84001'],
  ['until_day 1e308', { visits: '{ every_days: 7, until_day: 1e308 }' }, 'visits.every_days', 'max_visits: <n>'],
  ['block_size 6e8', { randomisation: '{ block_size: 600000000 }' }, 'randomisation.block_size', 'max_block_size: 600000000'],
  ['allocation 1e9', { arms: '  - { id: placebo, role: control, allocation: 1000000000, treatment: { type: placebo } }\n  - { id: drug, role: active, treatment: { type: placebo } }' }, 'arms', 'max_block_size: 2000000002'],
  ['twins x visits x arms', { enrolment: '{ target: 1000000 }', visits: '{ every_days: 1 }' }, 'enrolment.target', 'max_patient_visits: 170000000'],
  ['external_n 1e7', { extra: 'control_arm: { mode: hybrid, external_n: 10000000 }' }, 'control_arm.external_n', 'max_enrolled: 10000000'],
  ['prognostic draws 1e6', { extra: 'prognostic_score: { endpoint: chg, draws: 1000000 }' }, 'prognostic_score.draws', 'max_prognostic_draws: 1000000'],
];

describe('size limits', () => {
  it.each(RUNAWAY)('%s is refused, naming the limit and how to lift it', (_, parts, path, lift) => {
    const p = problems(protocol(parts));
    expect(p.map((x) => x.path)).toContain(path);
    const m = p.find((x) => x.path === path)!.message;
    expect(m).toContain(`raise the limit in the protocol: limits: { ${lift} }`);
  });

  it('the limits section lifts a limit where a large value is legitimate', () => {
    expect(problems(protocol({ visits: '{ every_days: 0.05 }' })).map((x) => x.path)).toEqual(['visits.every_days']);
    expect(problems(protocol({ visits: '{ every_days: 0.05 }', extra: 'limits: { max_visits: 2000 }' }))).toEqual([]);
    expect(problems(protocol({ enrolment: '{ target: 2000000 }', extra: 'limits: { max_enrolled: 2000000, max_screened: 40000000 }' }))).toEqual([]);
  });

  it('the limits section is checked: positive whole numbers, known names', () => {
    expect(problems(protocol({ extra: 'limits: { max_visits: 0, max_vists: 5 }' })).map((x) => x.path)).toEqual(['limits.max_visits', 'limits.max_vists']);
  });

  it('the default screening cap (20 x target) stays within max_screened', () => {
    const p = loadProtocol(protocol({ enrolment: '{ target: 1000000 }', visits: '{ days: [84] }' }));
    expect(p.spec.enrolment.max_screened).toBe(LIMITS.max_screened.default);
  });

  it('the defaults are as documented', () => {
    expect(Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, v.default]))).toEqual({
      max_enrolled: 1_000_000,
      max_screened: 10_000_000,
      max_visits: 1_000,
      max_duration_days: 36_525,
      max_block_size: 1_000,
      max_patient_visits: 20_000_000,
      max_prognostic_draws: 10_000,
    });
  });
});
