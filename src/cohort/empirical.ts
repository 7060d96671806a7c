/**
 * An empirical baseline table (parsed by io/read-empirical.ts) that twins are resampled from:
 * a bootstrap draw of one record, plus optional Gaussian smoothing noise on numeric columns.
 */
export interface EmpiricalColumn {
  name: string;
  type: 'numeric' | 'categorical';
  numbers?: Float64Array;
  strings?: string[];
  levels?: string[];
  smoothingSd: number;
  lower: number;
  upper: number;
  round?: number;
}

export interface EmpiricalTable {
  file: string;
  /** sha256 of the file's bytes, for run manifests. */
  sha256: string;
  rows: number;
  columns: EmpiricalColumn[];
}
