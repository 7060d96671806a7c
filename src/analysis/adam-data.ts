/**
 * ADaM-shaped records for analysis, from a simulated trial (in memory) or from CSV files (a
 * previous run, or a real trial's export in the same shape). Checks the columns each table
 * needs, every value the analysis reads (see checkValues: what is legal in each column), and
 * that every treatment is an arm of the protocol.
 */
import type { Table } from '../util/table.js';
import type { Value } from '../expr/compile.js';
import { DataError } from '../errors/data-error.js';
import { parseDecimal } from '../util/decimal.js';
import { quoteShort } from '../util/shorten.js';

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
  if (!unknown.length) return;
  const first = adsl.findIndex((r) => r.RANDFL === 'Y' && r.TRT01A === unknown[0]);
  throw new DataError(file, `TRT01A holds arm${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map((u) => quoteShort(u, 40)).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} that the protocol does not define (its arms: ${armIds.join(', ')}); first at row ${first + 1}, column TRT01A`);
}

/** A table as read from CSV: its rows (data rows, header not counted) and the file line each ends on. */
export interface ReadTable {
  file: string;
  records: AdamRecord[];
  lines: number[];
}

/** How a missing value may be written where one is allowed. */
const isMissing = (v: Value | undefined): boolean => v === undefined || v === '' || v === 'NA';
const finiteNumber = (v: Value | undefined): number | undefined => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return typeof v === 'string' ? parseDecimal(v) : undefined;
};

/** At most this many problems are listed per file (the count says how many there are). */
const MAX_LISTED = 10;

/**
 * Checks the values the analysis reads, naming file, row and column of every problem:
 *  - every table: USUBJID is not empty;
 *  - adsl: USUBJID is unique; RANDFL is Y, N or empty;
 *  - adeff: AVAL, BASE and CHG are finite numbers or missing (empty or NA: a missed visit);
 *    one row per USUBJID, PARAMCD and AVISIT;
 *  - adtte: AVAL is a finite number >= 0 (a day); CNSR is 0 (event) or 1 (censored); one row
 *    per USUBJID and PARAMCD;
 *  - adae: AEDECOD is not empty; AETOXGR is a CTCAE grade 1 to 5; AESER is Y or N;
 *  - counterfactual: USUBJID is unique; every column but USUBJID and TRTA holds finite numbers.
 * Throws DataError listing the problems.
 */
export function checkValues(table: keyof AdamData, t: ReadTable): void {
  const problems: string[] = [];
  const where = (i: number, col: string) => `row ${i + 1} (line ${t.lines[i]}${t.records[i]!.USUBJID ? `, USUBJID ${String(t.records[i]!.USUBJID)}` : ''}), column ${col}`;
  const add = (i: number, col: string, what: string) => problems.push(`${where(i, col)}: ${what}, found ${quoteShort(String(t.records[i]![col] ?? ''))}`);
  const seen = new Map<string, number>();
  const unique = (i: number, key: string, cols: string) => {
    const before = seen.get(key);
    if (before === undefined) seen.set(key, i);
    else problems.push(`row ${i + 1} (line ${t.lines[i]}), columns ${cols}: ${key.split('\u0000').join(', ')} already appears in row ${before + 1} (line ${t.lines[before]}); each may appear once`);
  };
  const numericColumns = table === 'counterfactual' && t.records.length ? Object.keys(t.records[0]!).filter((c) => c !== 'USUBJID' && c !== 'TRTA') : [];
  t.records.forEach((r, i) => {
    if (isMissing(r.USUBJID) || String(r.USUBJID).trim() === '') add(i, 'USUBJID', 'a subject identifier is required');
    const id = String(r.USUBJID);
    switch (table) {
      case 'adsl':
        unique(i, id, 'USUBJID');
        if (!['Y', 'N', ''].includes(String(r.RANDFL))) add(i, 'RANDFL', 'expected Y, N or empty');
        break;
      case 'adeff':
        for (const c of ['AVAL', 'BASE', 'CHG']) if (!isMissing(r[c]) && finiteNumber(r[c]) === undefined) add(i, c, 'expected a finite number, or empty or NA for a missing value');
        unique(i, [id, r.PARAMCD, r.AVISIT].join('\u0000'), 'USUBJID, PARAMCD, AVISIT');
        break;
      case 'adtte': {
        const x = finiteNumber(r.AVAL);
        if (x === undefined || x < 0) add(i, 'AVAL', 'expected a time: a finite number >= 0');
        if (r.CNSR !== '0' && r.CNSR !== '1' && r.CNSR !== 0 && r.CNSR !== 1) add(i, 'CNSR', 'expected 0 (event) or 1 (censored)');
        unique(i, [id, r.PARAMCD].join('\u0000'), 'USUBJID, PARAMCD');
        break;
      }
      case 'adae':
        if (isMissing(r.AEDECOD) || String(r.AEDECOD).trim() === '') add(i, 'AEDECOD', 'expected an adverse event term');
        if (!['1', '2', '3', '4', '5'].includes(String(r.AETOXGR))) add(i, 'AETOXGR', 'expected a CTCAE grade 1, 2, 3, 4 or 5');
        if (r.AESER !== 'Y' && r.AESER !== 'N') add(i, 'AESER', 'expected Y or N');
        break;
      case 'counterfactual':
        unique(i, id, 'USUBJID');
        for (const c of numericColumns) if (finiteNumber(r[c]) === undefined) add(i, c, 'expected a finite number');
        break;
    }
  });
  if (problems.length === 0) return;
  const listed = problems.slice(0, MAX_LISTED);
  const more = problems.length > MAX_LISTED ? `\n  ... and ${problems.length - MAX_LISTED} more` : '';
  throw new DataError(t.file, problems.length === 1 ? problems[0]! : `${problems.length} problems:\n  ${listed.join('\n  ')}${more}`);
}

/** Every subject of adeff, adtte, adae and counterfactual is a subject of adsl. */
export function checkSubjects(adsl: ReadTable, others: readonly ReadTable[]): void {
  const known = new Set(adsl.records.map((r) => String(r.USUBJID)));
  for (const t of others) {
    const i = t.records.findIndex((r) => !known.has(String(r.USUBJID)));
    if (i >= 0) throw new DataError(t.file, `row ${i + 1} (line ${t.lines[i]}), column USUBJID: ${quoteShort(String(t.records[i]!.USUBJID))} is not a subject of ${adsl.file}`);
  }
}

/** The number a cell holds, NaN for anything but a finite decimal (NA, empty, text, hexadecimal). */
export const num = (v: Value | undefined): number => (typeof v === 'number' ? v : typeof v === 'string' ? (parseDecimal(v) ?? NaN) : NaN);
