/**
 * The comparison's CSV tables: compare.csv (one row per protocol and matched analysis),
 * compare-trials.csv (per protocol and scenario), compare-designs.csv (per protocol and scenario,
 * when a protocol has interim looks) and compare-safety.csv (per protocol, scenario,
 * adverse-event term and arm), each with the differences from the first protocol: the difference,
 * its MC SE under common random numbers, and the MC SE independent runs would have had.
 */
import { csvCell } from '../util/csv-cell.js';
import type { Table } from '../util/table.js';
import type { Comparison, Difference } from './compare-protocols.js';

const num = (x: number | null | undefined) => csvCell(x ?? null);
const diffCells = (d: Difference | null) => (d ? [num(d.diff), num(d.mcse), num(d.mcseIndependent)] : ['NA', 'NA', 'NA']);

export const COMPARE_COLUMNS = [
  'protocol', 'scenario', 'null_scenario', 'endpoint', 'role', 'method', 'covariates', 'measure', 'arm', 'control',
  'replicates', 'power', 'power_mcse', 'mean_estimate', 'true_effect', 'bias', 'rmse', 'coverage', 'bias_scale', 'mean_events_arm', 'mean_events_control',
  'power_diff', 'power_diff_mcse', 'power_diff_mcse_independent', 'bias_diff', 'bias_diff_mcse', 'bias_diff_mcse_independent', 'coverage_diff', 'coverage_diff_mcse', 'coverage_diff_mcse_independent',
] as const;
export const COMPARE_TRIALS_COLUMNS = [
  'protocol', 'scenario', 'replicates', 'mean_screened', 'mean_enrolled', 'screen_failure_rate', 'dropout_rate',
  'screened_diff', 'screened_diff_mcse', 'screened_diff_mcse_independent', 'enrolled_diff', 'enrolled_diff_mcse', 'enrolled_diff_mcse_independent',
  'screen_failure_diff', 'screen_failure_diff_mcse', 'screen_failure_diff_mcse_independent', 'dropout_diff', 'dropout_diff_mcse', 'dropout_diff_mcse_independent',
] as const;
export const COMPARE_DESIGNS_COLUMNS = [
  'protocol', 'scenario', 'null_scenario', 'design', 'replicates', 'reject', 'reject_mcse', 'mean_patients', 'mean_information', 'mean_duration_days',
  'reject_diff', 'reject_diff_mcse', 'reject_diff_mcse_independent', 'patients_diff', 'patients_diff_mcse', 'patients_diff_mcse_independent',
  'information_diff', 'information_diff_mcse', 'information_diff_mcse_independent', 'duration_diff', 'duration_diff_mcse', 'duration_diff_mcse_independent',
] as const;
export const COMPARE_SAFETY_COLUMNS = ['protocol', 'scenario', 'term', 'arm', 'mean_incidence', 'incidence_diff', 'incidence_diff_mcse', 'incidence_diff_mcse_independent'] as const;

export function compareTables(c: Comparison): Table[] {
  return [
    {
      name: 'compare.csv',
      columns: [...COMPARE_COLUMNS],
      rows: c.rows.map((r) => [
        r.protocol, r.scenario, r.nullScenario ? 'Y' : 'N', r.endpoint, r.role, r.method, r.covariates, r.measure, r.arm, r.control,
        num(r.oc.replicates), num(r.oc.power), num(r.oc.powerMcse), num(r.oc.meanEstimate), num(r.oc.trueEffect), num(r.oc.bias), num(r.oc.rmse), num(r.oc.coverage), r.oc.scale, num(r.oc.meanEventsArm), num(r.oc.meanEventsControl),
        ...diffCells(r.power), ...diffCells(r.bias), ...diffCells(r.coverage),
      ]),
    },
    {
      name: 'compare-trials.csv',
      columns: [...COMPARE_TRIALS_COLUMNS],
      rows: c.trials.map((t) => [t.protocol, t.scenario, num(t.replicates), num(t.meanScreened), num(t.meanEnrolled), num(t.screenFailureRate), num(t.dropoutRate), ...diffCells(t.screened), ...diffCells(t.enrolled), ...diffCells(t.screenFailure), ...diffCells(t.dropout)]),
    },
    // Only when a compared protocol has interim looks.
    ...(c.designs.length
      ? [
          {
            name: 'compare-designs.csv',
            columns: [...COMPARE_DESIGNS_COLUMNS],
            rows: c.designs.map((d) => [
              d.protocol, d.scenario, d.nullScenario ? 'Y' : 'N', d.design, num(d.replicates), num(d.reject), num(d.rejectMcse), num(d.meanPatients), num(d.meanInformation), num(d.meanDurationDays),
              ...diffCells(d.rejectDiff), ...diffCells(d.patientsDiff), ...diffCells(d.informationDiff), ...diffCells(d.durationDiff),
            ]),
          },
        ]
      : []),
    {
      name: 'compare-safety.csv',
      columns: [...COMPARE_SAFETY_COLUMNS],
      rows: c.safety.map((s) => [s.protocol, s.scenario, s.term, s.arm, num(s.meanIncidence), ...diffCells(s.incidence)]),
    },
  ];
}

