/** Reads historical control data (CSV) and fits the prognostic model; errors name row and column. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { fitHistoricalModel, type HistoricalFit } from '../twins/historical-model.js';
import { DataError } from '../errors/data-error.js';
import { parseDecimal } from '../util/decimal.js';
import { quoteShort, shorten } from '../util/shorten.js';

class DuplicateColumn extends Error {}
/** The header as column names; a name given twice would silently keep one of the two columns. */
function duplicateFree(header: string[]): string[] {
  const twice = header.find((h, j) => header.indexOf(h) !== j);
  if (twice !== undefined) throw new DuplicateColumn(`column ${JSON.stringify(twice)} appears twice in the header`);
  return header;
}

/** The fitted model and the SHA-256 of the bytes it was fitted to (the file is read once). */
export function readHistoricalFit(file: string, shown: string, outcome: string, covariates: readonly string[]): { fit: HistoricalFit; sha256: string } {
  let rows: Record<string, string>[];
  let sha256: string;
  try {
    const bytes = readFileSync(file);
    sha256 = createHash('sha256').update(bytes).digest('hex');
    rows = parse(bytes, { columns: duplicateFree, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (err) {
    if (err instanceof DuplicateColumn) throw new DataError(shown, err.message);
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(shown, code === 'ENOENT' ? 'file not found (prognostic_score.file is relative to the protocol)' : `cannot read the CSV: ${shorten((err as Error).message, 200)}`);
  }
  if (rows.length === 0) throw new DataError(shown, 'no records');
  const header = Object.keys(rows[0]!);
  const missing = [outcome, ...covariates].filter((c) => !header.includes(c));
  if (missing.length) throw new DataError(shown, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} (the header has: ${shorten(header.join(', '), 200)})`);
  const col = (name: string) =>
    rows.map((r, i) => {
      const x = parseDecimal(r[name] ?? '');
      if (x === undefined) throw new DataError(shown, `row ${i + 1} (line ${i + 2}), column "${name}": expected a number, found ${quoteShort(r[name] ?? '')}`);
      return x;
    });
  return { fit: fitHistoricalModel(col(outcome), Object.fromEntries(covariates.map((c) => [c, col(c)]))), sha256 };
}
