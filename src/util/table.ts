/** A table of cells as vtrial writes it (one CSV file): a name, its columns and its rows. */
import type { Value } from '../expr/compile.js';

export interface Table {
  name: string;
  columns: string[];
  rows: Value[][];
}
