/**
 * Per-replicate record files: replicates.csv (efficacy per replicate and comparison),
 * replicate-trials.csv (counts per replicate) and replicate-safety.csv (AE subjects per term
 * and arm). Numbers are written in JavaScript's shortest round-trip form, so reading the files
 * back gives the very same doubles: shards merged from these files aggregate exactly as an
 * unsharded run does.
 */
import type { Value } from '../expr/compile.js';
import type { RunWriter } from './run-writer.js';
import { ANALYSIS_METHODS } from '../methods/registry.js';
import { DataError } from '../errors/data-error.js';
import type { ReplicateEfficacy, ReplicateRecord } from '../replicates/replicate.js';
import type { SequentialRecord } from '../analysis/sequential-trial.js';

export const RECORD_FILES = {
  efficacy: {
    name: 'replicates.csv',
    columns: ['scenario', 'replicate', 'endpoint', 'role', 'method', 'covariates', 'measure', 'arm', 'control', 'events_arm', 'events_control', 'estimate', 'se', 'lower', 'upper', 'p', 'p_adjusted', 'reject', 'true_effect'],
  },
  trials: { name: 'replicate-trials.csv', columns: ['scenario', 'replicate', 'screened', 'eligible', 'enrolled', 'dropouts', 'patient_visits', 'prognostic_correlation'] },
  safety: { name: 'replicate-safety.csv', columns: ['scenario', 'replicate', 'term', 'arm', 'subjects_with_ae', 'subjects'] },
} as const;

/** replicates.csv's last column when an analysis declares an estimand: the item's estimand label ("" for items without one). */
export const RECORD_ESTIMAND_COLUMN = 'estimand';

/** replicate-trials.csv's last columns when the protocol declares accrual: the data cut-off day, events by then, whether the study end's rule was met, and the twins randomised by then. */
export const RECORD_CALENDAR_COLUMNS = ['study_end_day', 'events_at_cutoff', 'study_end_reached', 'entered_by_cutoff'] as const;

/** replicate-trials.csv's columns after those when the analysis plan has interim looks (README "Interim analyses"), then LOOK_COLUMNS for each look. */
export const RECORD_SEQUENTIAL_COLUMNS = ['seq_stop_look', 'seq_decision', 'seq_reject', 'seq_reject_ignoring_futility', 'seq_stop_day', 'seq_patients', 'seq_information', 'seq_estimate', 'seq_true_effect'] as const;
/** Per look k (1..K, the last the study end): its calendar day, information fraction, z statistic and efficacy boundary (NA: not run). */
export const LOOK_COLUMNS = ['day', 'fraction', 'z', 'critical'] as const;
export const lookColumns = (looks: number): string[] => Array.from({ length: looks }, (_, k) => LOOK_COLUMNS.map((c) => `look${k + 1}_${c}`)).flat();

const na = (v: number | null): Value => (v === null ? 'NA' : v);
const nan = (v: number): Value => (Number.isNaN(v) ? 'NA' : v);

function sequentialCells(q: SequentialRecord): Value[] {
  const looks: Value[] = [];
  for (let k = 0; k < q.lookDay.length; k++) looks.push(nan(q.lookDay[k]!), nan(q.lookFraction[k]!), nan(q.lookZ[k]!), nan(q.lookCritical[k]!));
  return [q.stopLook, q.decision, q.reject ? 'Y' : 'N', q.rejectIgnoringFutility ? 'Y' : 'N', q.day, q.patients, q.information, na(q.estimate), na(q.trueEffect), ...looks];
}

const numOrNaN = (s: string | undefined): number => (s === undefined || s === 'NA' || s === '' ? NaN : Number(s));

function sequentialFromRow(t: Record<string, string>): SequentialRecord {
  let K = 0;
  while (t[`look${K + 1}_day`] !== undefined) K++;
  const col = (c: string) => Float64Array.from({ length: K }, (_, k) => numOrNaN(t[`look${k + 1}_${c}`]));
  const n = (s: string | undefined) => (s === undefined || s === 'NA' || s === '' ? null : Number(s));
  return {
    stopLook: Number(t.seq_stop_look),
    decision: t.seq_decision as SequentialRecord['decision'],
    reject: t.seq_reject === 'Y',
    rejectIgnoringFutility: t.seq_reject_ignoring_futility === 'Y',
    day: Number(t.seq_stop_day),
    patients: Number(t.seq_patients),
    information: Number(t.seq_information),
    estimate: n(t.seq_estimate),
    trueEffect: n(t.seq_true_effect),
    lookDay: col('day'),
    lookFraction: col('fraction'),
    lookZ: col('z'),
    lookCritical: col('critical'),
  };
}

/** @param estimands replicates.csv has the estimand column. */
export function recordRows(r: ReplicateRecord, estimands = false): { efficacy: Value[][]; trials: Value[][]; safety: Value[][] } {
  const rep = r.replicate + 1;
  return {
    efficacy: r.efficacy.map((e) => [r.scenario, rep, e.endpoint, e.role, e.method, e.covariates, e.measure, e.arm, e.control, na(e.eventsArm), na(e.eventsControl), na(e.estimate), na(e.se), na(e.lower), na(e.upper), na(e.p), na(e.pAdjusted), e.reject ? 'Y' : 'N', na(e.trueEffect), ...(estimands ? [e.estimand ?? ''] : [])]),
    trials: [[r.scenario, rep, r.screened, r.eligible, r.enrolled, r.dropouts, r.patientVisits, na(r.prognosticCorrelation), ...(r.cutoff ? [r.cutoff.day, r.cutoff.events, r.cutoff.reached ? 'Y' : 'N', r.cutoff.entered] : []), ...(r.sequential ? sequentialCells(r.sequential) : [])]],
    safety: r.adverseEvents.map(([term, arm, n, N]) => [r.scenario, rep, term, arm, n, N]),
  };
}

type Rec = Record<string, string>;
const num = (s: string | undefined): number | null => (s === undefined || s === 'NA' || s === '' ? null : Number(s));

/** Rebuilds records from the three files' rows (as parsed CSV objects), in replicate order per scenario. */
export function recordsFromRows(efficacy: Rec[], trials: Rec[], safety: Rec[]): ReplicateRecord[] {
  const key = (s: string, r: string) => `${s}\u0000${r}`;
  const map = new Map<string, ReplicateRecord>();
  for (const t of trials) {
    map.set(key(t.scenario!, t.replicate!), {
      scenario: t.scenario!,
      replicate: Number(t.replicate) - 1,
      screened: Number(t.screened),
      eligible: Number(t.eligible),
      enrolled: Number(t.enrolled),
      dropouts: Number(t.dropouts),
      patientVisits: Number(t.patient_visits),
      prognosticCorrelation: num(t.prognostic_correlation),
      efficacy: [],
      adverseEvents: [],
      ...(t.study_end_day !== undefined ? { cutoff: { day: Number(t.study_end_day), events: Number(t.events_at_cutoff), reached: t.study_end_reached === 'Y', entered: Number(t.entered_by_cutoff) } } : {}),
      ...(t.seq_stop_look !== undefined ? { sequential: sequentialFromRow(t) } : {}),
    });
  }
  const get = (r: Rec, file: string) => {
    const rec = map.get(key(r.scenario!, r.replicate!));
    if (!rec) throw new Error(`${file}: scenario ${r.scenario} replicate ${r.replicate} has no row in replicate-trials.csv`);
    return rec;
  };
  for (const e of efficacy) {
    // The method says the scale (difference or ratio) the summary averages on.
    if (!ANALYSIS_METHODS.has(e.method ?? '')) throw new DataError('replicates.csv', `scenario ${e.scenario} replicate ${e.replicate}: method ${JSON.stringify(e.method ?? '')} is not an analysis method of this version of vtrial (${[...ANALYSIS_METHODS.keys()].join(', ')})`);
    const eff: ReplicateEfficacy = {
      endpoint: e.endpoint!,
      role: e.role as 'primary' | 'secondary',
      method: e.method!,
      covariates: e.covariates ?? '',
      measure: e.measure!,
      arm: e.arm!,
      control: e.control!,
      eventsArm: num(e.events_arm),
      eventsControl: num(e.events_control),
      estimate: num(e.estimate),
      se: num(e.se),
      lower: num(e.lower),
      upper: num(e.upper),
      p: num(e.p),
      pAdjusted: num(e.p_adjusted),
      reject: e.reject === 'Y',
      trueEffect: num(e.true_effect),
      ...(e.estimand ? { estimand: e.estimand } : {}),
    };
    get(e, 'replicates.csv').efficacy.push(eff);
  }
  for (const s of safety) get(s, 'replicate-safety.csv').adverseEvents.push([s.term!, s.arm!, Number(s.subjects_with_ae), Number(s.subjects)]);
  return [...map.values()];
}

/** The three record files of a run directory, written record by record in replicate order. */
export class RecordFiles {
  private readonly files;
  private readonly trialColumns: number;

  /**
   * @param calendar the protocol declares accrual: replicate-trials.csv has the cut-off columns.
   * @param looks the number of looks (interims and the final) when the plan has interim looks: the sequential columns.
   * @param estimands an analysis declares an estimand: replicates.csv's estimand column.
   */
  constructor(writer: RunWriter, calendar = false, looks = 0, private readonly estimands = false) {
    const trials = [...RECORD_FILES.trials.columns, ...(calendar ? RECORD_CALENDAR_COLUMNS : []), ...(looks ? [...RECORD_SEQUENTIAL_COLUMNS, ...lookColumns(looks)] : [])];
    this.trialColumns = trials.length;
    this.files = {
      efficacy: writer.open(RECORD_FILES.efficacy.name, estimands ? [...RECORD_FILES.efficacy.columns, RECORD_ESTIMAND_COLUMN] : RECORD_FILES.efficacy.columns),
      trials: writer.open(RECORD_FILES.trials.name, trials),
      safety: writer.open(RECORD_FILES.safety.name, RECORD_FILES.safety.columns),
    };
  }

  async add(r: ReplicateRecord): Promise<void> {
    const rows = recordRows(r, this.estimands);
    for (const row of rows.efficacy) await this.files.efficacy.add(row);
    // A scenario with fewer looks than another (or none) leaves the other looks' columns NA.
    for (const row of rows.trials) await this.files.trials.add(row.length < this.trialColumns ? [...row, ...new Array<Value>(this.trialColumns - row.length).fill('NA')] : row);
    for (const row of rows.safety) await this.files.safety.add(row);
  }

  async flush(): Promise<void> {
    for (const f of Object.values(this.files)) await f.flush();
  }
}
