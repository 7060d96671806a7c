/**
 * A prognostic model trained on historical control data: a linear model of the outcome on named
 * covariates (least squares by QR), whose predictions are the prognostic scores. Its fit is
 * reported: coefficients, R^2, residual SD, n.
 */
import type { Row } from '../expr/compile.js';
import { linearModel, type Coefficient } from '../stats/linear-model.js';

export interface HistoricalFit {
  n: number;
  rSquared: number;
  residualSd: number;
  coefficients: Record<string, Coefficient>;
}

export function fitHistoricalModel(outcome: readonly number[], covariates: Record<string, readonly number[]>): HistoricalFit {
  const fit = linearModel(outcome, covariates);
  const mean = outcome.reduce((s, v) => s + v, 0) / outcome.length;
  const tss = outcome.reduce((s, v) => s + (v - mean) ** 2, 0);
  const rss = fit.residualSd ** 2 * fit.df;
  return { n: fit.n, rSquared: 1 - rss / tss, residualSd: fit.residualSd, coefficients: fit.coefficients };
}

export function predictHistorical(fit: HistoricalFit, row: Row): number {
  let y = fit.coefficients['(Intercept)']!.estimate;
  for (const [k, c] of Object.entries(fit.coefficients)) if (k !== '(Intercept)') y += c.estimate * (row[k] as number);
  return y;
}
