/**
 * The looks of a single run of a group-sequential design (README "Interim analyses"): per planned
 * look its cut-off day, information, the primary analysis on the data observed by then (estimate,
 * CI, z, p), the boundaries at the observed information, conditional power where the futility
 * rule is on it, and the decision; interim-looks.csv and summary.json's `sequential`.
 */
import { conditionalPower } from '../stats/conditional-power.js';
import { futilityBoundAt } from '../stats/sequential-boundary.js';
import type { InterimModel, LookRule } from '../trial/compile-interim.js';
import type { Table } from '../util/table.js';
import { csvCell } from '../util/csv-cell.js';
import type { EfficacyRow } from './efficacy.js';
import { lookDecision, type LookDecision, type SequentialRecord } from './sequential-trial.js';

export interface InterimLookRow {
  look: number;
  /** The look's rule: "information 0.5", "events 205", "calendar_day 500", or "study end" (the final look). */
  planned: string;
  day: number | null;
  /** Events (time to event) or patients with the endpoint observed by the look, and the fraction of the planned final information. */
  information: number | null;
  fraction: number | null;
  /** Randomised patients entered by the look's day. */
  patients: number | null;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  z: number | null;
  p: number | null;
  /** The efficacy boundary at the observed information; the futility bound there (null: none). */
  efficacyBound: number | null;
  futilityBound: number | null;
  /** Futility on conditional power: the threshold, and the conditional power at the look. */
  futilityConditionalPower: number | null;
  conditionalPower: number | null;
  /** What the look's z says (not run: the look was not reached, or the trial had stopped before it). */
  decision: LookDecision | 'not run';
  /** The look at which the trial stopped. */
  stopped: boolean;
  /** A look after the stop: run only past a non-binding futility stop, to record what ignoring the bound would have given (null: not run). */
  afterStop: boolean | null;
}

const ruleText = (l: LookRule | undefined): string => (!l ? 'study end' : l.kind === 'information' ? `information ${l.fraction}` : l.kind === 'events' ? `events ${l.events}` : `calendar_day ${l.day}`);
const nn = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * @param rowAt the primary row of the analysis at a look's day (as runSequential ran it)
 * @param patientsBy randomised patients entered by a calendar day
 */
export function interimLookRows(im: InterimModel, rec: SequentialRecord, rowAt: (day: number) => EfficacyRow | undefined, patientsBy: (day: number) => number): InterimLookRow[] {
  const K = rec.lookDay.length;
  const d = im.design;
  const cp = d.conditionalPower;
  return Array.from({ length: K }, (_, k): InterimLookRow => {
    const final = k === K - 1;
    const day = rec.lookDay[k]!;
    const base = { look: k + 1, planned: ruleText(im.looks[k]), futilityConditionalPower: !final && cp ? cp.threshold : null, stopped: rec.stopLook === k + 1, afterStop: k + 1 > rec.stopLook };
    if (Number.isNaN(day)) return { ...base, day: null, information: null, fraction: null, patients: null, estimate: null, lower: null, upper: null, z: null, p: null, efficacyBound: null, futilityBound: null, conditionalPower: null, decision: 'not run', afterStop: null };
    const t = rec.lookFraction[k]!;
    const z = rec.lookZ[k]!;
    const c = rec.lookCritical[k]!;
    const f = final ? undefined : futilityBoundAt(d, k, t);
    const row = rowAt(day);
    return {
      ...base,
      day,
      information: Math.round(t * im.plannedInformation),
      fraction: t,
      patients: patientsBy(day),
      estimate: row?.estimate ?? null,
      lower: row?.lower ?? null,
      upper: row?.upper ?? null,
      z: nn(z),
      p: row?.p ?? null,
      efficacyBound: nn(c),
      futilityBound: f ?? null,
      conditionalPower: !final && cp && Number.isFinite(z) && t < 1 ? conditionalPower(z, t, cp.finalCritical, cp.theta) : null,
      decision: lookDecision(d, final, z, c, f),
    };
  });
}

/** interim-looks.csv: column name and the InterimLookRow field it shows. */
export const INTERIM_LOOK_COLUMNS: readonly [string, keyof InterimLookRow][] = [
  ['look', 'look'], ['planned', 'planned'], ['day', 'day'], ['information', 'information'], ['fraction', 'fraction'], ['patients', 'patients'],
  ['estimate', 'estimate'], ['lower', 'lower'], ['upper', 'upper'], ['z', 'z'], ['p', 'p'], ['efficacy_bound', 'efficacyBound'], ['futility_bound', 'futilityBound'],
  ['futility_conditional_power', 'futilityConditionalPower'], ['conditional_power', 'conditionalPower'], ['decision', 'decision'], ['stopped', 'stopped'], ['after_stop', 'afterStop'],
];

export function interimLooksTable(rows: readonly InterimLookRow[]): Table {
  return { name: 'interim-looks.csv', columns: INTERIM_LOOK_COLUMNS.map(([c]) => c), rows: rows.map((r) => INTERIM_LOOK_COLUMNS.map(([, k]) => csvCell(r[k]))) };
}
