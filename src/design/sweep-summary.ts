/**
 * A sweep's results from its points' results: sweep.csv (one row per point, scenario and
 * analysis, the point's values as columns before the operating characteristics), the power
 * differences between adjacent points under common random numbers (sweep-differences.csv) and
 * summary.json. Computed from what each point's folder holds (its summary and its per-replicate
 * decisions), so a fresh, a resumed and a merged sweep give the same bytes.
 */
import type { Table } from '../util/table.js';
import type { Value } from '../expr/compile.js';
import { csvCell } from '../util/csv-cell.js';
import type { ReplicateRecord } from '../replicates/replicate.js';
import { OPERATING_CHARACTERISTICS_COLUMNS, type ReplicatesSummary } from '../replicates/summary.js';
import type { AnalysisIdentity, OcRow, TrialCharacteristics } from '../replicates/aggregate.js';
import type { SequentialCharacteristics } from '../replicates/sequential-aggregate.js';
import { adjacentPairs, pairedPowerDifference } from './power-differences.js';
import type { SweepPoint } from './grid.js';
import type { IteRecord } from './trade-offs.js';
import type { SweepValue, Vary } from './vary.js';

/** What a sweep's results need of one point: its summary and records (in replicate order per scenario). */
export interface PointResults {
  summary: ReplicatesSummary;
  records: readonly ReplicateRecord[];
  /** Each replicate's spread of individual effects (replicate-ite.csv: screen --trade-offs --replicates only). */
  ite?: readonly IteRecord[];
}

export interface SweepIdentity {
  protocol: { file: string; sha256: string };
  cohort: { file: string; sha256: string };
  seed: number;
  replicates: number;
}

export interface PowerDifference extends AnalysisIdentity {
  path: string;
  fromPoint: number;
  toPoint: number;
  fromValue: SweepValue;
  toValue: SweepValue;
  replicates: number;
  powerFrom: number;
  powerTo: number;
  difference: number;
  differenceMcse: number;
  independentMcse: number;
  /** With interim looks, on the analysis the looks test: the same for the group-sequential design's rejections. */
  sequential?: { powerFrom: number; powerTo: number; difference: number; differenceMcse: number; independentMcse: number };
}

export interface SweepSummary extends SweepIdentity {
  vtrial: string;
  vary: { path: string; values: SweepValue[] }[];
  points: { point: number; id: string; values: Record<string, SweepValue>; scenarios: ReplicatesSummary['scenarios'] }[];
  differences: PowerDifference[];
}

export const SWEEP_CSV = 'sweep.csv';
export const SWEEP_DIFFERENCES_CSV = 'sweep-differences.csv';

export const SWEEP_DIFFERENCE_COLUMNS: readonly [string, keyof PowerDifference][] = [
  ['path', 'path'], ['from_point', 'fromPoint'], ['to_point', 'toPoint'], ['from_value', 'fromValue'], ['to_value', 'toValue'],
  ['scenario', 'scenario'], ['endpoint', 'endpoint'], ['role', 'role'], ['method', 'method'], ['covariates', 'covariates'], ['measure', 'measure'], ['arm', 'arm'], ['control', 'control'],
  ['replicates', 'replicates'], ['power_from', 'powerFrom'], ['power_to', 'powerTo'], ['power_difference', 'difference'], ['difference_mcse', 'differenceMcse'], ['independent_mcse', 'independentMcse'],
];

/** sweep.csv's columns after the operating characteristics when the protocol declares accrual (a scenario's trial characteristics). */
export const SWEEP_CALENDAR_COLUMNS: readonly [string, keyof TrialCharacteristics][] = [['mean_study_duration_days', 'meanStudyDurationDays'], ['mean_events_at_cutoff', 'meanEventsAtCutoff'], ['study_end_not_reached', 'studyEndNotReached']];
/** Then, with interim looks, the group-sequential design's characteristics (sequential-characteristics.csv's, prefixed seq_), on the row of the analysis the looks test. */
export const SWEEP_SEQUENTIAL_COLUMNS: readonly [string, keyof SequentialCharacteristics][] = [
  ['seq_overall_reject', 'overallReject'], ['seq_overall_reject_mcse', 'overallRejectMcse'], ['seq_reject_ignoring_futility', 'rejectIgnoringFutility'], ['seq_reject_ignoring_futility_mcse', 'rejectIgnoringFutilityMcse'],
  ['seq_expected_patients', 'expectedPatients'], ['seq_expected_patients_mcse', 'expectedPatientsMcse'], ['seq_expected_information', 'expectedInformation'], ['seq_expected_information_mcse', 'expectedInformationMcse'],
  ['seq_expected_duration_days', 'expectedDurationDays'], ['seq_expected_duration_days_mcse', 'expectedDurationDaysMcse'],
];
/** Then per look K the probabilities of stopping there for efficacy and for futility. */
export const sweepLookColumns = (looks: number): string[] => Array.from({ length: looks }, (_, k) => [`seq_look${k + 1}_p_efficacy`, `seq_look${k + 1}_p_futility`]).flat();
/** sweep-differences.csv's columns after the others with interim looks: the paired difference of the group-sequential design's rejections. */
export const SWEEP_SEQUENTIAL_DIFFERENCE_COLUMNS = ['seq_power_from', 'seq_power_to', 'seq_power_difference', 'seq_difference_mcse', 'seq_independent_mcse'] as const;

/** Per scenario: each replicate's group-sequential rejection, at any look (records with interim looks only). */
export function sequentialDecisions(records: readonly ReplicateRecord[], replicates: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const r of records) {
    if (!r.sequential) continue;
    let v = out.get(r.scenario);
    if (!v) out.set(r.scenario, (v = new Uint8Array(replicates)));
    v[r.replicate] = r.sequential.reject ? 1 : 0;
  }
  return out;
}

/** Per scenario and analysis (in the order of the records' efficacy rows): each replicate's decision. */
export function decisions(records: readonly ReplicateRecord[], replicates: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const r of records) {
    r.efficacy.forEach((e, i) => {
      const k = `${r.scenario}\u0000${i}\u0000${e.endpoint}\u0000${e.method}\u0000${e.arm}\u0000${e.covariates}`;
      let v = out.get(k);
      if (!v) out.set(k, (v = new Uint8Array(replicates)));
      v[r.replicate] = e.reject ? 1 : 0;
    });
  }
  return out;
}

export const analysisKey = (o: OcRow, i: number) => `${o.scenario}\u0000${i}\u0000${o.endpoint}\u0000${o.method}\u0000${o.arm}\u0000${o.covariates}`;

export function sweepResults(id: SweepIdentity, version: string, varies: readonly Vary[], points: readonly SweepPoint[], results: readonly PointResults[]): { summary: SweepSummary; tables: Table[] } {
  const differences: PowerDifference[] = [];
  const rejections = results.map((r) => decisions(r.records, id.replicates));
  const seqRejections = results.map((r) => sequentialDecisions(r.records, id.replicates));
  const sequential = results.some((r) => r.summary.scenarios.some((sc) => sc.sequential));
  const calendar = results.some((r) => r.summary.scenarios.some((sc) => sc.trial.meanStudyDurationDays !== undefined));
  const looks = Math.max(0, ...results.flatMap((r) => r.summary.scenarios.map((sc) => sc.sequential?.perLook.length ?? 0)));
  for (const pair of adjacentPairs(varies, points)) {
    const a = results[pair.from]!.summary;
    for (const sc of a.scenarios) {
      // The analyses of a scenario in their order (the records' index i).
      sc.operatingCharacteristics.forEach((o, i) => {
        const k = analysisKey(o, i);
        const from = rejections[pair.from]!.get(k);
        const to = rejections[pair.to]!.get(k);
        if (!from || !to) return; // the analysis exists at one point only (a varied plan)
        const d = pairedPowerDifference(from, to);
        // The looks test the first analysis (the plan's only primary one).
        const sFrom = i === 0 ? seqRejections[pair.from]!.get(o.scenario) : undefined;
        const sTo = i === 0 ? seqRejections[pair.to]!.get(o.scenario) : undefined;
        const q = sFrom && sTo ? pairedPowerDifference(sFrom, sTo) : undefined;
        differences.push({
          path: varies[pair.dimension]!.path,
          fromPoint: points[pair.from]!.index,
          toPoint: points[pair.to]!.index,
          fromValue: points[pair.from]!.values[pair.dimension]!,
          toValue: points[pair.to]!.values[pair.dimension]!,
          scenario: o.scenario, endpoint: o.endpoint, role: o.role, method: o.method, covariates: o.covariates, measure: o.measure, arm: o.arm, control: o.control,
          replicates: id.replicates,
          powerFrom: d.powerFrom,
          powerTo: d.powerTo,
          difference: d.difference,
          differenceMcse: d.mcse,
          independentMcse: d.independentMcse,
          ...(q ? { sequential: { powerFrom: q.powerFrom, powerTo: q.powerTo, difference: q.difference, differenceMcse: q.mcse, independentMcse: q.independentMcse } } : {}),
        });
      });
    }
  }
  const summary: SweepSummary = {
    vtrial: version,
    protocol: id.protocol,
    cohort: id.cohort,
    seed: id.seed,
    replicates: id.replicates,
    vary: varies.map((v) => ({ path: v.path, values: v.values })),
    points: points.map((p, i) => ({ point: p.index, id: p.id, values: Object.fromEntries(varies.map((v, j) => [v.path, p.values[j]!])), scenarios: results[i]!.summary.scenarios })),
    differences,
  };
  const oc = OPERATING_CHARACTERISTICS_COLUMNS;
  // Columns only protocols with accrual or interim looks have (the others' files are unchanged).
  const extra = (sc: ReplicatesSummary['scenarios'][number], i: number): Value[] => [
    ...(calendar ? SWEEP_CALENDAR_COLUMNS.map(([, k]) => csvCell(sc.trial[k] ?? null)) : []),
    ...(sequential ? SWEEP_SEQUENTIAL_COLUMNS.map(([, k]) => (i === 0 && sc.sequential ? csvCell(sc.sequential[k]) : 'NA')) : []),
    ...Array.from({ length: looks }, (_, k) => {
      const l = i === 0 ? sc.sequential?.perLook[k] : undefined;
      return l ? [csvCell(l.pEfficacy), csvCell(l.pFutility)] : ['NA', 'NA'];
    }).flat(),
  ];
  const rows: Value[][] = points.flatMap((p, i) => results[i]!.summary.scenarios.flatMap((s) => s.operatingCharacteristics.map((o, j) => [p.index, ...p.values.map(csvCell), ...oc.map(([, k]) => csvCell(o[k])), ...extra(s, j)])));
  const seqDiff = (d: PowerDifference): Value[] => (sequential ? (d.sequential ? [d.sequential.powerFrom, d.sequential.powerTo, d.sequential.difference, d.sequential.differenceMcse, d.sequential.independentMcse].map(csvCell) : SWEEP_SEQUENTIAL_DIFFERENCE_COLUMNS.map(() => 'NA')) : []);
  return {
    summary,
    tables: [
      {
        name: SWEEP_CSV,
        columns: ['point', ...varies.map((v) => v.path), ...oc.map(([c]) => c), ...(calendar ? SWEEP_CALENDAR_COLUMNS.map(([c]) => c) : []), ...(sequential ? SWEEP_SEQUENTIAL_COLUMNS.map(([c]) => c) : []), ...sweepLookColumns(looks)],
        rows,
      },
      {
        name: SWEEP_DIFFERENCES_CSV,
        columns: [...SWEEP_DIFFERENCE_COLUMNS.map(([c]) => c), ...(sequential ? SWEEP_SEQUENTIAL_DIFFERENCE_COLUMNS : [])],
        rows: differences.map((d) => [...SWEEP_DIFFERENCE_COLUMNS.map(([, k]) => csvCell(d[k] as Value)), ...seqDiff(d)]),
      },
    ],
  };
}
