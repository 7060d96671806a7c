/** Reads a directory of ADaM-shaped CSV files (csv-parse) for `vtrial analyze`. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { checkColumns, type AdamData, type AdamRecord } from '../analysis/adam-data.js';
import { DataError } from './data-error.js';

function readTable(dir: string, name: keyof AdamData, required: boolean): AdamRecord[] | undefined {
  const file = join(dir, `${name}.csv`);
  if (!existsSync(file)) {
    if (required) throw new DataError(file, `file not found (vtrial analyze needs ${name}.csv in ${dir})`);
    return undefined;
  }
  let rows: string[][];
  try {
    rows = parse(readFileSync(file), { bom: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw new DataError(file, `not a valid CSV file: ${(err as Error).message}`);
  }
  if (rows.length === 0) throw new DataError(file, 'the file is empty (expected a header row)');
  const header = rows[0]!;
  checkColumns(file, name, header);
  return rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

export function readAdamDir(dir: string): AdamData {
  return {
    adsl: readTable(dir, 'adsl', true)!,
    adeff: readTable(dir, 'adeff', true)!,
    adtte: readTable(dir, 'adtte', true)!,
    adae: readTable(dir, 'adae', true)!,
    counterfactual: readTable(dir, 'counterfactual', false),
  };
}
