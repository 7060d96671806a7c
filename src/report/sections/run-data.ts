/** What several single-run sections read: the arms in protocol order, who was randomised, visit titles. */
import { num, type CsvRow, type OutputDir } from '../output-dir.js';

export interface RunArm {
  arm: string;
  role: string;
  randomised: number;
  completed: number;
  discontinued: number;
}

/** The arms as summary.json lists them (protocol order). */
export function runArms(dir: OutputDir): RunArm[] {
  const arms = (dir.summary?.arms ?? dir.manifest?.arms) as RunArm[] | undefined;
  return Array.isArray(arms) ? arms : [];
}

/** USUBJIDs of the randomised twins (adsl RANDFL = Y): external controls and screen failures are left out of the charts. */
export function randomisedIds(dir: OutputDir): Set<string> {
  return new Set(dir.csv('adsl.csv').filter((r) => r.RANDFL === 'Y').map((r) => r.USUBJID!));
}

/** "Week" when every AVISIT is "Week N" with N = AVISITN, "Day" likewise, else the visit number. */
export function visitTitle(rows: readonly CsvRow[]): string {
  for (const unit of ['Week', 'Day', 'Month']) {
    if (rows.length > 0 && rows.every((r) => r.AVISIT === 'Baseline' || (r.AVISIT === `${unit} ${r.AVISITN}` && Number.isFinite(num(r.AVISITN))))) return `Visit (${unit.toLowerCase()})`;
  }
  return 'Visit number (AVISITN)';
}

/** "HbA1c (%)" -> ["HbA1c", "%"]; no unit: [label, "value"]. */
export function labelAndUnit(param: string): [string, string] {
  const m = /^(.*) \(([^()]*)\)$/.exec(param);
  return m ? [m[1]!, m[2]!] : [param, 'value'];
}

/** Distinct values of a column in order of first appearance. */
export function distinct(rows: readonly CsvRow[], column: string): string[] {
  return [...new Set(rows.map((r) => r[column]!))];
}
