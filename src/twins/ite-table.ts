/** ite.csv: the individual-treatment-effect summaries as a table. */
import type { Table } from '../util/table.js';
import type { IteRow } from './individual-effects.js';
import { csvCell } from '../util/csv-cell.js';

/** ite.csv: column name and the IteRow field it shows. */
export const ITE_COLUMNS: [string, keyof IteRow][] = [
  ['endpoint', 'endpoint'], ['arm', 'arm'], ['control', 'control'], ['subgroup', 'subgroup'], ['level', 'level'], ['n', 'n'],
  ['mean', 'mean'], ['sd', 'sd'], ['q05', 'q05'], ['q25', 'q25'], ['median', 'median'], ['q75', 'q75'], ['q95', 'q95'],
  ['direction', 'direction'], ['threshold', 'threshold'], ['share_benefit', 'shareBenefit'],
];

export function iteTable(rows: readonly IteRow[]): Table {
  return { name: 'ite.csv', columns: ITE_COLUMNS.map(([c]) => c), rows: rows.map((r) => ITE_COLUMNS.map(([, k]) => csvCell(r[k]))) };
}
