/**
 * CSV cells. `csvCell`: "NA" for a quantity that is not estimable (null, NaN, infinite), Y/N for
 * decisions. `neutraliseFormula`: every text cell vtrial writes to a CSV file passes through it
 * (table-writer.ts applies it to every string cell), so free text a spreadsheet would run as a
 * formula (`=HYPERLINK(...)`) is prefixed with a single quote, as OWASP recommends. Numbers
 * (including negative ones) are written unchanged.
 */
import type { Value } from '../expr/compile.js';
import { looksLikeFormula } from './spreadsheet-safety.js';

export function csvCell(v: unknown): Value {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return 'NA';
  if (typeof v === 'boolean') return v ? 'Y' : 'N';
  return v as Value;
}

export function neutraliseFormula(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}
