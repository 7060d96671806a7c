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
import type { AnalysisIdentity, OcRow } from '../replicates/aggregate.js';
import { adjacentPairs, pairedPowerDifference } from './power-differences.js';
import type { SweepPoint } from './grid.js';
import type { SweepValue, Vary } from './vary.js';

/** What a sweep's results need of one point: its summary and records (in replicate order per scenario). */
export interface PointResults {
  summary: ReplicatesSummary;
  records: readonly ReplicateRecord[];
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

/** Per scenario and analysis (in the order of the records' efficacy rows): each replicate's decision. */
function decisions(records: readonly ReplicateRecord[], replicates: number): Map<string, Uint8Array> {
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

const analysisKey = (o: OcRow, i: number) => `${o.scenario}\u0000${i}\u0000${o.endpoint}\u0000${o.method}\u0000${o.arm}\u0000${o.covariates}`;

export function sweepResults(id: SweepIdentity, version: string, varies: readonly Vary[], points: readonly SweepPoint[], results: readonly PointResults[]): { summary: SweepSummary; tables: Table[] } {
  const differences: PowerDifference[] = [];
  const rejections = results.map((r) => decisions(r.records, id.replicates));
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
  const rows: Value[][] = points.flatMap((p, i) => results[i]!.summary.scenarios.flatMap((s) => s.operatingCharacteristics.map((o) => [p.index, ...p.values.map(csvCell), ...oc.map(([, k]) => csvCell(o[k]))])));
  return {
    summary,
    tables: [
      { name: SWEEP_CSV, columns: ['point', ...varies.map((v) => v.path), ...oc.map(([c]) => c)], rows },
      { name: SWEEP_DIFFERENCES_CSV, columns: SWEEP_DIFFERENCE_COLUMNS.map(([c]) => c), rows: differences.map((d) => SWEEP_DIFFERENCE_COLUMNS.map(([, k]) => csvCell(d[k]))) },
    ],
  };
}
