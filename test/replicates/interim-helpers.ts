/** Protocols with interim looks, written into a temp directory beside their cohorts. */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';

const dir = tempDir('vtrial-interim-');
copyFileSync('bench/designs/survival-cohort.yaml', join(dir, 'survival-cohort.yaml'));
copyFileSync('test/fixtures/protocols/cohort.yaml', join(dir, 'cohort.yaml'));
let n = 0;

/**
 * rpact's getSimulationSurvival reference (expected.json group_sequential.survival_simulation):
 * exponential control hazard lambda2 = 0.0578 per month (median 12 months = 365.25 days), HR 0.7,
 * 407 patients 1:1 entering uniformly over 18 months, dropout 2.5% per 12 months in both arms
 * (-ln(0.975) per 365.25 days, written per 365-day year), looks at 84 and 167 events and the
 * final analysis at 250, design a (asOF, one-sided 0.025), HR < 1 favours the active arm.
 */
export function rpactSurvivalProtocol(extra = ''): string {
  return survivalProtocol({ name: 'rpact getSimulationSurvival reference', looks: '[ { events: 84 }, { events: 167 } ]', dropoutPerYear: (-Math.log(0.975) * 365) / 365.25, extra });
}

/**
 * rpact's survival design above (407 patients over 18 months, PFS median 1 year, HR 0.7, final
 * analysis at the 250th event) with the given `looks` (asOF spending) and, optionally, dropout.
 */
export function survivalProtocol(p: { name: string; looks: string; dropoutPerYear?: number; extra?: string }): string {
  const file = join(dir, `survival-${++n}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${p.name}`,
      'cohort: survival-cohort.yaml',
      'enrolment: { target: 407, max_screened: 407 }',
      'arms:',
      '  - { id: control, role: control, treatment: { type: placebo } }',
      '  - { id: active, role: active, treatment: { type: standard_of_care } }',
      'randomisation: { block_size: 2 }',
      'study: { duration_days: 3650 }',
      'visits: { days: [3650] }',
      'accrual: { duration_months: 18 }',
      'study_end: { events: 250, endpoint: PFS }',
      'endpoints:',
      '  - { id: PFS, type: time_to_event, event: EVENT, baseline_hazard: { distribution: exponential, median_days: 365.25 }, hazard_ratio: { active: 0.7 } }',
      ...(p.dropoutPerYear !== undefined ? [`dropout: { background_per_year: ${p.dropoutPerYear} }`] : []),
      'analysis:',
      '  alpha: 0.025',
      '  sided: one',
      '  primary: [ { endpoint: PFS, method: logrank, direction: decrease } ]',
      `  interim: { looks: ${p.looks}, spending: of }`,
      p.extra ?? '',
    ].join('\n'),
  );
  return file;
}

/**
 * A difference in means: Y ~ N(0.4, 1) vs N(0, 1) (rpact's alternative 2, stDev 5), 200 patients
 * entering over 12 months, observed at day 28; looks at 1/3 and 2/3 of the patients observed,
 * asOF one-sided 0.025 with non-binding futility bounds 0 and 0 (rpact's design e); `interim` (empty:
 * none) and `extra` (scenarios) replace parts.
 */
export function meansProtocol(p: { interim?: string; extra?: string; target?: number } = {}): string {
  const file = join(dir, `means-${++n}.yaml`);
  writeFileSync(
    file,
    [
      'name: Three looks at a difference in means',
      'cohort: cohort.yaml',
      `enrolment: { target: ${p.target ?? 200} }`,
      'arms:',
      '  - { id: control, role: control, treatment: { type: placebo } }',
      '  - { id: active, role: active, treatment: { type: drug, dose: 1, route: iv_bolus, interval_days: 1 } }',
      'randomisation: { block_size: 4 }',
      'study: { duration_days: 28 }',
      'visits: { days: [28] }',
      'accrual: { duration_months: 12 }',
      'pk: { compartments: 1, cl: { value: 1 }, v: { value: 1 } }',
      'biomarkers:',
      '  y: { baseline: "0", drug_effect: { driver: auc_ss, emax: 0.4, ec50: 1.0e-12 }, residual_sd: 1 }',
      'endpoints:',
      '  - { id: Y, type: continuous, biomarker: y, visit: Week 4, measure: value }',
      'analysis:',
      '  alpha: 0.025',
      '  sided: one',
      '  primary: [ { endpoint: Y, method: pooled_t_test, direction: increase } ]',
      ...(p.interim === '' ? [] : [`  interim: ${p.interim ?? '{ looks: [ { information: 0.3333333333 }, { information: 0.6666666667 } ], spending: of, futility: { bounds: [0, 0], binding: false } }'}`]),
      p.extra ?? '',
    ].join('\n'),
  );
  return file;
}
