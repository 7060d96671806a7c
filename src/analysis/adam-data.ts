/**
 * ADaM-shaped records for analysis, from a simulated trial (in memory) or from CSV files (a
 * previous run, or a real trial's export in the same shape). Checks the columns each table
 * needs and that every treatment is an arm of the protocol.
 */
import type { Table } from '../adam/adam-tables.js';
import type { Value } from '../expr/compile.js';
import { DataError } from '../io/data-error.js';

export type AdamRecord = Record<string, Value>;

export interface AdamData {
  adsl: AdamRecord[];
  adeff: AdamRecord[];
  adtte: AdamRecord[];
  adae: AdamRecord[];
  /** Present for vtrial runs: each endpoint under every arm. */
  counterfactual?: AdamRecord[];
}

export const REQUIRED_COLUMNS: Record<keyof AdamData, string[]> = {
  adsl: ['USUBJID', 'RANDFL', 'TRT01A', 'EOSSTT'],
  adeff: ['USUBJID', 'PARAMCD', 'AVISIT', 'AVAL', 'BASE', 'CHG'],
  adtte: ['USUBJID', 'PARAMCD', 'AVAL', 'CNSR'],
  adae: ['USUBJID', 'AEDECOD', 'AETOXGR', 'AESER', 'AEACN'],
  counterfactual: ['USUBJID'],
};

export function recordsOf(t: Table): AdamRecord[] {
  const cols = t.columns;
  const out = new Array<AdamRecord>(t.rows.length);
  for (let k = 0; k < t.rows.length; k++) {
    const row = t.rows[k]!;
    const rec: AdamRecord = {};
    for (let i = 0; i < cols.length; i++) rec[cols[i]!] = row[i]!;
    out[k] = rec;
  }
  return out;
}

/** Throws DataError naming the file and the missing columns. */
export function checkColumns(file: string, table: keyof AdamData, header: readonly string[]): void {
  const missing = REQUIRED_COLUMNS[table].filter((c) => !header.includes(c));
  if (missing.length) throw new DataError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (required in ${table}: ${REQUIRED_COLUMNS[table].join(', ')})`);
}

export function checkArms(file: string, adsl: readonly AdamRecord[], armIds: readonly string[]): void {
  const unknown = [...new Set(adsl.filter((r) => r.RANDFL === 'Y').map((r) => String(r.TRT01A)))].filter((a) => !armIds.includes(a));
  if (unknown.length) throw new DataError(file, `TRT01A holds arm${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} that the protocol does not define (its arms: ${armIds.join(', ')})`);
}

export const num = (v: Value | undefined): number => (v === '' || v === undefined ? NaN : Number(v));
