/** The protocol's statistical analysis plan. */
import { z } from 'zod';
import { identifier, probability, strictObject } from './zod-helpers.js';
import { CI_NAMES, METHOD_NAMES } from '../methods/registry.js';
import { COVARIANCE_STRUCTURES } from '../stats/mmrm-covariance.js';
import { IMPUTATION_STRATEGIES } from '../stats/mi-impute.js';
import { PLAN_DEFAULTS } from './plan-defaults.js';
import { interimSchema } from './interim-schema.js';
import { estimandSchema, postIceSchema } from './estimand-schema.js';

const populations = z.enum(['randomised', 'completers']);
const multiplicity = z.enum(['none', 'bonferroni', 'holm', 'hochberg', 'bh']);

export const analysisItemSchema = strictObject({
  endpoint: identifier,
  method: z.enum(METHOD_NAMES),
  /** ANCOVA / Cox covariates: BASE (the endpoint's baseline value) or ADSL covariate names. */
  covariates: z.array(identifier).default([]),
  /** Stratification of the log-rank test and Cox model: cohort covariates whose combinations are the strata. */
  strata: z.array(identifier).optional(),
  population: populations.optional(),
  alpha: probability.optional(),
  sided: z.enum(['two', 'one']).optional(),
  /** For one-sided tests: the direction that favours the active arm. */
  direction: z.enum(['decrease', 'increase']).optional(),
  /** Responders with no observed value: excluded, or counted as non-responders. */
  missing: z.enum(['exclude', 'non_responder']).default('exclude'),
  ties: z.enum(['efron', 'breslow']).default('efron'),
  /** The confidence interval, for methods that offer a choice (logistic: wald or profile). */
  ci: z.enum(CI_NAMES).optional(),
  /** MMRM: the within-subject covariance over the visits (default unstructured). */
  covariance: z.enum(COVARIANCE_STRUCTURES).optional(),
  /** Multiple imputation (mi): how post-discontinuation values are imputed (default mar). */
  imputation: z.enum(IMPUTATION_STRATEGIES).optional(),
  /** mi: the number of imputations M (default 50). */
  imputations: z.number().int().min(2).max(1000).optional(),
  /** mi: added to every imputed value of the active arm (delta adjustment, tipping-point analyses). */
  delta: z.number().finite().optional(),
  /** mi: the reference arm of jump_to_reference, copy_reference and copy_increments_in_reference (the control arm, the default). */
  reference: identifier.optional(),
  /** mi: a tipping-point analysis over deltas (a list, or from..to by a step), on the same imputations (tipping-point.csv). */
  tipping_point: strictObject({
    deltas: z.array(z.number().finite()).min(2).max(201).optional(),
    from: z.number().finite().optional(),
    to: z.number().finite().optional(),
    by: z.number().finite().positive().optional(),
  })
    .refine((t) => (t.deltas !== undefined) !== (t.from !== undefined || t.to !== undefined || t.by !== undefined), { message: 'give either deltas: [...] or from, to and by' })
    .refine((t) => t.deltas !== undefined || (t.from !== undefined && t.to !== undefined && t.by !== undefined), { message: 'a range needs from, to and by' })
    .refine((t) => t.deltas !== undefined || t.from === undefined || t.to === undefined || t.by === undefined || (Math.abs(t.to - t.from) / t.by >= 1 - 1e-9 && Math.abs(t.to - t.from) / t.by <= 200 + 1e-9), { message: 'from..to by gives 2 to 201 deltas' })
    .optional(),
  /** The estimand: a strategy per intercurrent event type (README "Intercurrent events and estimands"); absent: the actual outcome, data as observed. */
  estimand: estimandSchema.optional(),
  /** Values after an ICE handled by treatment policy: used (default) or discarded (e.g. for reference-based imputation). */
  post_ice: postIceSchema.optional(),
});
export type AnalysisItem = z.infer<typeof analysisItemSchema>;

export const analysisSchema = strictObject({
  alpha: probability.default(PLAN_DEFAULTS.alpha),
  sided: z.enum(['two', 'one']).default(PLAN_DEFAULTS.sided),
  population: populations.default(PLAN_DEFAULTS.population),
  primary: z.array(analysisItemSchema).default([]),
  secondary: z.array(analysisItemSchema).default([]),
  multiplicity: strictObject({ primary: multiplicity.default(PLAN_DEFAULTS.multiplicity.primary), secondary: multiplicity.default(PLAN_DEFAULTS.multiplicity.secondary) }).default({ ...PLAN_DEFAULTS.multiplicity }),
  /** Benefit thresholds for individual treatment effects (ite.csv); default 0 in the direction of the mean effect. */
  individual_effects: z.array(strictObject({ endpoint: identifier, threshold: z.number(), direction: z.enum(['decrease', 'increase']).optional() })).default([]),
  /** Interim looks at the (first) primary analysis in replicate runs (README "Interim analyses"; needs accrual). */
  interim: interimSchema.optional(),
});
export type AnalysisPlan = z.infer<typeof analysisSchema>;
