/** Reads an empirical baseline CSV (csv-parse) into an EmpiricalTable, checking every cell. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { EmpiricalColumn, EmpiricalTable } from '../cohort/empirical.js';
import type { EmpiricalColumnSpec } from '../spec/cohort-schema.js';
import { DataError } from '../errors/data-error.js';
import { unsafeNameReason } from '../spec/safe-name.js';
import { parseDecimal } from '../util/decimal.js';
import { quoteShort, shorten } from '../util/shorten.js';

export function readEmpiricalCsv(file: string, displayName: string, columns: Record<string, EmpiricalColumnSpec>): EmpiricalTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(displayName, code === 'ENOENT' ? 'file not found (empirical.file is relative to the cohort spec)' : `cannot read the file (${code})`);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, info: true, bom: true, relax_column_count: false }) as unknown as typeof records;
  } catch (err) {
    throw new DataError(displayName, `not a valid CSV file: ${shorten((err as Error).message, 200)}`);
  }
  if (records.length === 0) throw new DataError(displayName, 'the file is empty (expected a header row and at least one record)');
  const header = records[0]!.record;
  const twice = header.find((h, j) => header.indexOf(h) !== j);
  if (twice !== undefined) throw new DataError(displayName, `column ${JSON.stringify(twice)} appears twice in the header`);
  const body = records.slice(1);
  if (body.length === 0) throw new DataError(displayName, 'the file has a header but no records');

  const out: EmpiricalColumn[] = [];
  const missing = Object.keys(columns).filter((c) => !header.includes(c));
  if (missing.length) {
    throw new DataError(displayName, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} (the header has: ${shorten(header.join(', '), 200)})`);
  }
  for (const [name, spec] of Object.entries(columns)) {
    const j = header.indexOf(name);
    if (spec.type === 'categorical') {
      const strings = body.map(({ record, info }, i) => {
        const cell = record[j]!;
        if (cell === '') throw new DataError(displayName, `row ${i + 1} (line ${info.lines}), column "${name}": empty cell (expected a category)`);
        const why = unsafeNameReason(cell);
        if (why) throw new DataError(displayName, `row ${i + 1} (line ${info.lines}), column "${name}": the category ${quoteShort(cell)} is not allowed: ${why}`);
        return cell;
      });
      out.push({ name, type: 'categorical', strings, levels: [...new Set(strings)].sort(), smoothingSd: 0, lower: -Infinity, upper: Infinity });
    } else {
      const numbers = new Float64Array(body.length);
      body.forEach(({ record, info }, i) => {
        const cell = record[j]!;
        const x = parseDecimal(cell);
        if (x === undefined) {
          throw new DataError(displayName, `row ${i + 1} (line ${info.lines}), column "${name}": expected a number, found ${cell === '' ? 'an empty cell' : quoteShort(cell)}`);
        }
        numbers[i] = x;
      });
      out.push({
        name,
        type: 'numeric',
        numbers,
        smoothingSd: spec.smoothing_sd ?? 0,
        lower: spec.lower ?? -Infinity,
        upper: spec.upper ?? Infinity,
        round: spec.round,
      });
    }
  }
  return { file: displayName, sha256: createHash('sha256').update(text).digest('hex'), rows: body.length, columns: out };
}
