/** The compiled form of a cohort spec: everything needed to generate a twin, as plain closures. */
import type { Evaluator, Value, ValueType } from '../expr/compile.js';
import type { Source } from '../random/stream.js';
import type { EmpiricalTable } from './empirical.js';

export type Row = Record<string, Value>;

export interface CovariateColumn {
  name: string;
  origin: 'drawn' | 'derived' | 'empirical';
  type: ValueType;
  unit?: string;
}

export type DrawStep =
  | { name: string; kind: 'continuous'; zIndex: number; transform: (z: number, row: Row) => number; round?: number }
  | { name: string; kind: 'discrete'; draw: (source: Source, row: Row) => Value; round?: number };

export interface CohortModel {
  name: string;
  /** Output columns, in order: empirical columns, then covariates as declared. */
  columns: CovariateColumn[];
  /** Every covariate's type, for compiling formulas and criteria against the cohort. */
  scope: Map<string, ValueType>;
  /** How many standard-normal scores a twin draws (one per continuous drawn covariate). */
  continuousCount: number;
  /** Gaussian copula over some of the scores: their z indices and the Cholesky factor. */
  copula?: { indices: number[]; lower: number[][] };
  drawSteps: DrawStep[];
  derivedSteps: { name: string; evaluate: Evaluator; round?: number; /** the formula as written, for error messages */ formula: string }[];
  empirical?: EmpiricalTable;
}
