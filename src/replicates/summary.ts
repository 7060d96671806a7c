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

export function summaryOf(run: CompiledRun | RunIdentity, replicates: number, agg: Aggregator, version: string): ReplicatesSummary {
  const id = 'protocolSha256' in run ? identityOf(run) : run;
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

export function aggregateTables(s: ReplicatesSummary): Table[] {
  const ocCols = OPERATING_CHARACTERISTICS_COLUMNS;
  const aeCols = SAFETY_CHARACTERISTICS_COLUMNS;
  const oc = s.scenarios.flatMap((x) => x.operatingCharacteristics);
  const ae = s.scenarios.flatMap((x) => x.adverseEvents);
  return [
    { name: 'operating-characteristics.csv', columns: ocCols.map(([c]) => c), rows: oc.map((r) => ocCols.map(([, k]) => cell(r[k]))) },
    { name: 'safety-characteristics.csv', columns: aeCols.map(([c]) => c), rows: ae.map((r) => aeCols.map(([, k]) => cell(r[k]))) },
  ];
}
