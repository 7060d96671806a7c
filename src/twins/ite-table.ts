/** ite.csv: the individual-treatment-effect summaries as a table. */
import type { Table } from '../util/table.js';
import type { IteRow } from './individual-effects.js';
import { csvCell } from '../util/csv-cell.js';

const COLUMNS: [string, keyof IteRow][] = [
  ['endpoint', 'endpoint'], ['arm', 'arm'], ['control', 'control'], ['subgroup', 'subgroup'], ['level', 'level'], ['n', 'n'],
  ['mean', 'mean'], ['sd', 'sd'], ['q05', 'q05'], ['q25', 'q25'], ['median', 'median'], ['q75', 'q75'], ['q95', 'q95'],
  ['direction', 'direction'], ['threshold', 'threshold'], ['share_benefit', 'shareBenefit'],
];

export function iteTable(rows: readonly IteRow[]): Table {
  return { name: 'ite.csv', columns: COLUMNS.map(([c]) => c), rows: rows.map((r) => COLUMNS.map(([, k]) => csvCell(r[k]))) };
}
