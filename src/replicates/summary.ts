/**
 * The summary of a replicate run (summary.json) and its CSV tables. It holds nothing that
 * differs between equivalent runs (no command line, worker count, timing or shard), so an
 * unsharded run and a merge of its shards give byte-identical summaries.
 */
import type { Table } from '../util/table.js';
import { csvCell } from '../util/csv-cell.js';
import type { Aggregator, AeCharacteristics, OcRow, TrialCharacteristics } from './aggregate.js';
import type { CompiledRun } from './compile-run.js';
import { varianceReductions, type VarianceReduction } from '../twins/variance-reduction.js';
import type { SequentialCharacteristics, SequentialLook } from './sequential-aggregate.js';
import type { InterimModel } from '../trial/compile-interim.js';

export interface ReplicatesSummary {
  vtrial: string;
  protocol: { file: string; sha256: string };
  cohort: { file: string; sha256: string };
  seed: number;
  replicates: number;
  scenarios: {
    name: string;
    description: string;
    trial: TrialCharacteristics;
    operatingCharacteristics: OcRow[];
    /** For analyses adjusting for the prognostic score: mean SE^2 against the unadjusted and baseline-only analyses. */
    varianceReduction: VarianceReduction[];
    adverseEvents: AeCharacteristics[];
    /** With interim looks only: the group-sequential design's operating characteristics and its looks. */
    sequential?: SequentialCharacteristics & { perLook: SequentialLook[] };
  }[];
}

export interface RunIdentity {
  protocol: { file: string; sha256: string };
  cohort: { file: string; sha256: string };
  seed: number;
  scenarios: { name: string; description: string }[];
}

export function identityOf(run: CompiledRun): RunIdentity {
  return {
    protocol: { file: run.protocolFile, sha256: run.protocolSha256 },
    cohort: { file: run.cohortFile, sha256: run.cohortSha256 },
    seed: run.seed,
    scenarios: run.scenarios.map((s) => ({ name: s.spec.name, description: s.spec.description ?? '' })),
  };
}

/**
 * @param designs per scenario, its interim model (the analytic design beside the simulated one);
 * a compiled run's own are used when absent.
 */
export function summaryOf(run: CompiledRun | RunIdentity, replicates: number, agg: Aggregator, version: string, designs?: ReadonlyMap<string, InterimModel>): ReplicatesSummary {
  const id = 'protocolSha256' in run ? identityOf(run) : run;
  const interim = designs ?? new Map('protocolSha256' in run ? run.scenarios.flatMap((s) => (s.model.interim ? [[s.spec.name, s.model.interim] as const] : [])) : []);
  const sequential = (name: string) => {
    const c = agg.sequential.characteristics(name);
    return c ? { sequential: { ...c, perLook: agg.sequential.looks(name, interim.get(name)) } } : {};
  };
  const oc = agg.operatingCharacteristics();
  const trials = agg.trialCharacteristics();
  const ae = agg.adverseEventCharacteristics();
  return {
    vtrial: version,
    protocol: id.protocol,
    cohort: id.cohort,
    seed: id.seed,
    replicates,
    scenarios: id.scenarios.map((s) => ({
      name: s.name,
      description: s.description,
      trial: trials.find((t) => t.scenario === s.name)!,
      operatingCharacteristics: oc.filter((r) => r.scenario === s.name),
      varianceReduction: varianceReductions(oc.filter((r) => r.scenario === s.name).map((r) => ({ ...r, se: r.meanSe }))),
      adverseEvents: ae.filter((r) => r.scenario === s.name),
      ...sequential(s.name),
    })),
  };
}

const cell = csvCell;

/** operating-characteristics.csv: column name and the OcRow field it shows. */
export const OPERATING_CHARACTERISTICS_COLUMNS: readonly [string, keyof OcRow][] = [
  ['scenario', 'scenario'], ['endpoint', 'endpoint'], ['role', 'role'], ['method', 'method'], ['covariates', 'covariates'], ['measure', 'measure'], ['arm', 'arm'], ['control', 'control'],
  ['replicates', 'replicates'], ['estimable', 'estimable'], ['rejections', 'rejections'], ['power', 'power'], ['power_mcse', 'powerMcse'], ['power_lower', 'powerLower'], ['power_upper', 'powerUpper'],
  ['mean_estimate', 'meanEstimate'], ['median_estimate', 'medianEstimate'], ['mean_se', 'meanSe'], ['true_effect', 'trueEffect'], ['bias', 'bias'], ['rmse', 'rmse'], ['coverage', 'coverage'], ['coverage_mcse', 'coverageMcse'], ['bias_scale', 'scale'],
  ['mean_events_arm', 'meanEventsArm'], ['mean_events_control', 'meanEventsControl'],
];
/** safety-characteristics.csv: column name and the AeCharacteristics field it shows. */
export const SAFETY_CHARACTERISTICS_COLUMNS: readonly [string, keyof AeCharacteristics][] = [['scenario', 'scenario'], ['term', 'term'], ['arm', 'arm'], ['mean_incidence', 'meanIncidence'], ['p5', 'p5'], ['p95', 'p95']];

/** sequential-characteristics.csv: column name and the SequentialCharacteristics field it shows. */
export const SEQUENTIAL_CHARACTERISTICS_COLUMNS: readonly [string, keyof SequentialCharacteristics][] = [
  ['scenario', 'scenario'], ['replicates', 'replicates'], ['looks', 'looks'], ['overall_reject', 'overallReject'], ['overall_reject_mcse', 'overallRejectMcse'],
  ['reject_ignoring_futility', 'rejectIgnoringFutility'], ['reject_ignoring_futility_mcse', 'rejectIgnoringFutilityMcse'],
  ['expected_patients', 'expectedPatients'], ['expected_patients_mcse', 'expectedPatientsMcse'], ['expected_information', 'expectedInformation'], ['expected_information_mcse', 'expectedInformationMcse'],
  ['expected_duration_days', 'expectedDurationDays'], ['expected_duration_days_mcse', 'expectedDurationDaysMcse'],
  ['mean_estimate_at_stop', 'meanEstimateAtStop'], ['true_effect', 'trueEffect'], ['bias_at_stop', 'biasAtStop'], ['bias_at_stop_mcse', 'biasAtStopMcse'], ['bias_scale', 'scale'],
];
/** sequential-looks.csv: column name and the SequentialLook field it shows. */
export const SEQUENTIAL_LOOK_COLUMNS: readonly [string, keyof SequentialLook][] = [
  ['scenario', 'scenario'], ['look', 'look'], ['planned_fraction', 'plannedFraction'], ['mean_fraction', 'meanFraction'], ['critical_value', 'criticalValue'], ['nominal_level', 'nominalLevel'], ['alpha_spent', 'alphaSpent'], ['futility_bound', 'futilityBound'],
  ['mean_observed_critical', 'meanObservedCritical'], ['reached', 'reached'], ['reached_share', 'reachedShare'], ['p_efficacy', 'pEfficacy'], ['p_efficacy_mcse', 'pEfficacyMcse'], ['p_futility', 'pFutility'], ['p_futility_mcse', 'pFutilityMcse'], ['p_stop', 'pStop'], ['p_stop_mcse', 'pStopMcse'], ['note', 'note'],
];

/** sequential-looks.csv's column after futility_bound with conditional-power futility. */
export const FUTILITY_CP_COLUMN: [string, keyof SequentialLook] = ['futility_conditional_power', 'futilityConditionalPower'];

/** operating-characteristics.csv's last column when an analysis declares an estimand (other runs' files are unchanged). */
export const ESTIMAND_COLUMN: [string, keyof OcRow] = ['estimand', 'estimand'];

export function aggregateTables(s: ReplicatesSummary): Table[] {
  const oc = s.scenarios.flatMap((x) => x.operatingCharacteristics);
  // An item without an estimand has "" in the column.
  const ocCols = oc.some((r) => r.estimand !== undefined) ? [...OPERATING_CHARACTERISTICS_COLUMNS, ESTIMAND_COLUMN] : OPERATING_CHARACTERISTICS_COLUMNS;
  const aeCols = SAFETY_CHARACTERISTICS_COLUMNS;
  const ae = s.scenarios.flatMap((x) => x.adverseEvents);
  return [
    { name: 'operating-characteristics.csv', columns: ocCols.map(([c]) => c), rows: oc.map((r) => ocCols.map(([, k]) => (k === 'estimand' ? (r.estimand ?? '') : cell(r[k])))) },
    { name: 'safety-characteristics.csv', columns: aeCols.map(([c]) => c), rows: ae.map((r) => aeCols.map(([, k]) => cell(r[k]))) },
    ...sequentialTables(s),
  ];
}

/** The sequential design's tables, only when a scenario has interim looks (other runs' files are unchanged). */
function sequentialTables(s: ReplicatesSummary): Table[] {
  const seq = s.scenarios.flatMap((x) => (x.sequential ? [x.sequential] : []));
  if (seq.length === 0) return [];
  const sc = SEQUENTIAL_CHARACTERISTICS_COLUMNS;
  // Conditional-power futility adds its threshold beside the z bound it implies.
  const cp = seq.some((r) => r.perLook.some((l) => l.futilityConditionalPower !== undefined));
  const lc = cp ? SEQUENTIAL_LOOK_COLUMNS.flatMap((c): [string, keyof SequentialLook][] => (c[0] === 'futility_bound' ? [c, FUTILITY_CP_COLUMN] : [c])) : SEQUENTIAL_LOOK_COLUMNS;
  return [
    { name: 'sequential-characteristics.csv', columns: sc.map(([c]) => c), rows: seq.map((r) => sc.map(([, k]) => cell(r[k]))) },
    { name: 'sequential-looks.csv', columns: lc.map(([c]) => c), rows: seq.flatMap((r) => r.perLook.map((l) => lc.map(([, k]) => cell(l[k])))) },
  ];
}
