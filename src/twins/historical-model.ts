/**
 * A prognostic model trained on historical control data: a linear model of the outcome on named
 * covariates (least squares by QR), whose predictions are the prognostic scores. Its fit is
 * reported: coefficients, R^2, residual SD, n, and the covariates aliased (constant or collinear
 * in the historical data: coefficient NA, as R's lm, and left out of the prediction as R's
 * predict.lm does on a rank-deficient fit).
 */
import type { Row } from '../expr/compile.js';
import { linearModel, type Coefficient } from '../stats/linear-model.js';

export interface HistoricalFit {
  n: number;
  rSquared: number;
  residualSd: number;
  coefficients: Record<string, Coefficient>;
  /** Covariates dropped as constant or collinear (coefficient NA). */
  aliased: string[];
}

export function fitHistoricalModel(outcome: readonly number[], covariates: Record<string, readonly number[]>): HistoricalFit {
  const fit = linearModel(outcome, covariates);
  const mean = outcome.reduce((s, v) => s + v, 0) / outcome.length;
  const tss = outcome.reduce((s, v) => s + (v - mean) ** 2, 0);
  const rss = fit.residualSd ** 2 * fit.df;
  return { n: fit.n, rSquared: 1 - rss / tss, residualSd: fit.residualSd, coefficients: fit.coefficients, aliased: fit.aliased };
}

export function predictHistorical(fit: HistoricalFit, row: Row): number {
  let y = fit.coefficients['(Intercept)']!.estimate;
  // An aliased coefficient is NA: it contributes nothing (R's predict.lm on a rank-deficient fit).
  for (const [k, c] of Object.entries(fit.coefficients)) if (k !== '(Intercept)' && !Number.isNaN(c.estimate)) y += c.estimate * (row[k] as number);
  return y;
}
