/**
 * ANCOVA of an outcome on a 0/1 treatment indicator and covariates, by least squares:
 * R's lm(y ~ TRT + covariates). Returns the treatment row, or NotEstimable when the treatment
 * effect cannot be estimated: no residual variance (a perfect fit), too few observations for
 * the coefficients, a treatment indicator that is constant, or values so large that the sums
 * of squares overflow.
 *
 * @example ancova(chg, trt, { BASE: base }).estimate // adjusted treatment difference
 */
import { linearModel, RankDeficientError, type Coefficient, type LinearModelResult } from './linear-model.js';
import { NotEstimable, requireFinite } from './not-estimable.js';

export interface AncovaResult extends Coefficient {
  residualSd: number;
  df: number;
  /** Covariates dropped as aliased (constant or collinear), as R's lm reports NA for them. */
  aliased: string[];
}

export function ancova(y: ArrayLike<number>, treatment: ArrayLike<number>, covariates: Record<string, ArrayLike<number>> = {}, conf = 0.95): AncovaResult | NotEstimable {
  requireFinite('ancova', 'y', y);
  requireFinite('ancova', 'treatment', treatment);
  for (const [k, v] of Object.entries(covariates)) requireFinite('ancova', k, v);
  let fit: LinearModelResult;
  try {
    fit = linearModel(y, { TRT: treatment, ...covariates }, conf);
  } catch (err) {
    if (err instanceof RankDeficientError) return new NotEstimable(err.message);
    throw err;
  }
  const t = fit.coefficients.TRT!;
  if (fit.aliased.includes('TRT')) return new NotEstimable('every subject has the same treatment');
  if (![t.estimate, t.se, fit.residualSd].every(Number.isFinite)) return new NotEstimable('the values are too large: their sums of squares overflow');
  let scale = 1;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]!));
  // A residual spread this small relative to the data is rounding error: a perfect fit.
  if (fit.residualSd <= 1e-10 * scale) return new NotEstimable('no residual variance', t.estimate);
  return { ...fit.coefficients.TRT!, residualSd: fit.residualSd, df: fit.df, aliased: fit.aliased };
}
