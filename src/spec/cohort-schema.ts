/**
 * The cohort spec: who the patients are. Zod checks the shape; cohort/compile-cohort.ts checks
 * what needs the whole spec (names, levels, correlation matrix, formulas).
 */
import { z } from 'zod';
import { finite, identifier, nonNegative, positive, probability, safeName, strictObject, text } from './zod-helpers.js';

/**
 * A distribution parameter: a number, or a table by the levels of a categorical covariate drawn
 * earlier, e.g. `mean: { by: sex, values: { female: 77, male: 90 } }`.
 */
export function param<T extends z.ZodType>(value: T) {
  return z.union([value, strictObject({ by: identifier, values: z.record(z.string(), value) })]);
}
export type Param<T> = T | { by: string; values: Record<string, T> };

const common = {
  round: z.number().int().gte(0).lte(12).optional(),
  unit: text.optional(),
  description: text.optional(),
  source: text.optional(),
};

export const DISTRIBUTIONS = {
  normal: { mean: param(finite), sd: param(positive) },
  truncnormal: { mean: param(finite), sd: param(positive), lower: param(finite).optional(), upper: param(finite).optional() },
  lognormal: { meanlog: param(finite), sdlog: param(positive) },
  uniform: { min: param(finite), max: param(finite) },
  gamma: { shape: param(positive), rate: param(positive) },
  beta: { shape1: param(positive), shape2: param(positive) },
  bernoulli: { p: param(probability) },
  poisson: { lambda: param(nonNegative) },
  categorical: {
    levels: z.array(safeName).min(2, { message: 'expected at least 2 levels' }),
    p: param(z.array(probability)),
  },
} as const;

export type DistName = keyof typeof DISTRIBUTIONS;
export const DIST_NAMES = Object.keys(DISTRIBUTIONS) as DistName[];

export const drawnCovariateSchemas = Object.fromEntries(
  DIST_NAMES.map((d) => [d, strictObject({ dist: z.literal(d), ...DISTRIBUTIONS[d], ...common })]),
) as unknown as { [K in DistName]: z.ZodType };

export const derivedCovariateSchema = strictObject({ derive: text, ...common });

export interface DrawnCovariate {
  dist: DistName;
  round?: number;
  unit?: string;
  description?: string;
  source?: string;
  [param: string]: unknown;
}
export interface DerivedCovariate {
  derive: string;
  round?: number;
  unit?: string;
  description?: string;
  source?: string;
}
export type CovariateSpec = DrawnCovariate | DerivedCovariate;

export const empiricalColumnSchema = z.union([
  strictObject({
    type: z.literal('numeric'),
    smoothing_sd: nonNegative.optional(),
    lower: finite.optional(),
    upper: finite.optional(),
    round: z.number().int().gte(0).lte(12).optional(),
  }),
  strictObject({ type: z.literal('categorical') }),
]);

export const cohortTopSchema = strictObject({
  kind: z.literal('cohort').optional(),
  name: text,
  description: text.optional(),
  sources: z.array(text).optional(),
  covariates: z.record(z.string(), z.unknown()).optional(),
  correlation: strictObject({
    variables: z.array(identifier).min(2, { message: 'expected at least 2 variables' }),
    matrix: z.array(z.array(finite)),
  }).optional(),
  empirical: strictObject({
    file: text,
    columns: z.record(identifier, empiricalColumnSchema),
  }).optional(),
});

export type EmpiricalColumnSpec = z.infer<typeof empiricalColumnSchema>;

export interface CohortSpec {
  kind?: 'cohort';
  name: string;
  description?: string;
  sources?: string[];
  covariates: Record<string, CovariateSpec>;
  correlation?: { variables: string[]; matrix: number[][] };
  empirical?: { file: string; columns: Record<string, EmpiricalColumnSpec> };
}
