/**
 * Reads a directory of ADaM-shaped CSV files (csv-parse) for `vtrial analyze`, and checks every
 * value the analysis reads (checkValues) so that no NA, text or out-of-range value reaches the
 * statistics: a bad value is a DataError naming file, row and column.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { checkColumns, checkSubjects, checkValues, type AdamData, type AdamRecord, type ReadTable } from '../analysis/adam-data.js';
import { DataError } from '../errors/data-error.js';

function readTable(dir: string, name: keyof AdamData, required: boolean): ReadTable | undefined {
  const file = join(dir, `${name}.csv`);
  if (!existsSync(file)) {
    if (required) throw new DataError(file, `file not found (vtrial analyze needs ${name}.csv in ${dir})`);
    return undefined;
  }
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(readFileSync(file), { bom: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw new DataError(file, `not a valid CSV file: ${(err as Error).message}`);
  }
  if (rows.length === 0) throw new DataError(file, 'the file is empty (expected a header row)');
  const header = rows[0]!.record;
  const twice = header.find((h, i) => header.indexOf(h) !== i);
  if (twice !== undefined) throw new DataError(file, `column ${JSON.stringify(twice)} appears twice in the header`);
  checkColumns(file, name, header);
  const data = rows.slice(1);
  // Null-prototype records: column names are the file's, never an object's inherited keys.
  const records = data.map(({ record }) => {
    const rec: AdamRecord = Object.create(null) as AdamRecord;
    header.forEach((h, i) => (rec[h] = record[i] ?? ''));
    return rec;
  });
  const t: ReadTable = { file, records, lines: data.map((r) => r.info.lines) };
  checkValues(name, t);
  return t;
}

export function readAdamDir(dir: string): AdamData {
  const adsl = readTable(dir, 'adsl', true)!;
  const adeff = readTable(dir, 'adeff', true)!;
  const adtte = readTable(dir, 'adtte', true)!;
  const adae = readTable(dir, 'adae', true)!;
  const counterfactual = readTable(dir, 'counterfactual', false);
  checkSubjects(adsl, [adeff, adtte, adae, ...(counterfactual ? [counterfactual] : [])]);
  return { adsl: adsl.records, adeff: adeff.records, adtte: adtte.records, adae: adae.records, counterfactual: counterfactual?.records };
}
