/**
 * ANCOVA of an outcome on a 0/1 treatment indicator and covariates, by least squares:
 * R's lm(y ~ TRT + covariates). Returns the treatment row.
 *
 * @example ancova(chg, trt, { BASE: base }).estimate // adjusted treatment difference
 */
import { linearModel, type Coefficient } from './linear-model.js';

export interface AncovaResult extends Coefficient {
  residualSd: number;
  df: number;
  /** Covariates dropped as aliased (constant or collinear), as R's lm reports NA for them. */
  aliased: string[];
}

export function ancova(y: readonly number[], treatment: readonly number[], covariates: Record<string, readonly number[]> = {}, conf = 0.95): AncovaResult {
  const fit = linearModel(y, { TRT: treatment, ...covariates }, conf);
  return { ...fit.coefficients.TRT!, residualSd: fit.residualSd, df: fit.df, aliased: fit.aliased };
}
