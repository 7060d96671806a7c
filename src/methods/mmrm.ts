/**
 * MMRM (R: nlme::gls with an unstructured covariance, REML, and emmeans' contrast): the
 * active − control least-squares-mean difference at the endpoint's visit, from the endpoint at
 * every post-baseline visit up to it, on visit, treatment × visit and covariate × visit terms.
 */
import { mmrm, type MmrmCovariate, type MmrmData } from '../stats/mmrm.js';
import { isNotEstimable } from '../stats/not-estimable.js';
import type { AnalysisItem } from '../spec/analysis-schema.js';
import { unestimable, type AnalysisMethod, type Comparison } from './method.js';
import { differenceInMeansTruth } from './truths.js';

export const mmrmMethod: AnalysisMethod<'mmrm'> = {
  id: 'mmrm',
  endpoint: 'continuous',
  measure: 'difference in LS means',
  scale: 'difference',
  adjusts: true,
  repeated: true,
  docs: {
    estimate:
      "LS-mean difference at the endpoint's visit from a mixed model for repeated measures over every post-baseline visit up to it (REML; `covariance:` unstructured, compound_symmetry, ar1 or toeplitz), as `nlme::gls` + `emmeans`; see MMRM",
    test: 't test with Satterthwaite df',
  },
  compare(c, item, conf) {
    const r = c.repeated!;
    const nv = r.visits.length;
    const n = c.nArm + c.nControl;
    // Raw means of the observed values at the endpoint's visit, per arm.
    const sums = [0, 0];
    const counts = [0, 0];
    let nObs = 0;
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < nv; j++) if (!Number.isNaN(r.values[k * nv + j]!)) nObs++;
      const y = r.values[k * nv + nv - 1]!;
      if (Number.isNaN(y)) continue;
      sums[k < c.nArm ? 0 : 1]! += y;
      counts[k < c.nArm ? 0 : 1]! += 1;
    }
    const base = { measure: this.measure, armSummary: sums[0]! / counts[0]!, controlSummary: sums[1]! / counts[1]! };
    const data = mmrmData(c, item, nObs);
    const covariance = item.covariance ?? 'unstructured';
    const fit = mmrm(data, { covariance, conf });
    if (isNotEstimable(fit)) return unestimable(base, fit);
    const t = fit.visits[nv - 1]!;
    // Satterthwaite df below 1 (near 0 where the REML surface is flat in the covariance): the
    // t reference distribution, and so the SE's meaning, is lost; a finite estimate would mislead.
    if (!(t.df >= 1) || !Number.isFinite(t.se) || !Number.isFinite(t.p)) return unestimable(base, `Satterthwaite df ${Number.isFinite(t.df) ? t.df.toPrecision(3) : t.df} below 1 at the target visit: the covariance is not identified by these data (${covariance.replace('_', ' ')})`);
    return { ...base, estimate: t.estimate, se: t.se, ci: t.ci, statistic: t.t, p: t.p, note: `Satterthwaite df ${t.df.toFixed(2)}; ${nv} visits, ${covariance.replace('_', ' ')} covariance` };
  },
  truth: differenceInMeansTruth,
};

/** The comparison's observed repeated measures in long form (one row per observed subject-visit; `nObs` of them), covariates by visit. */
export function mmrmData(c: Comparison, item: AnalysisItem, nObs: number): MmrmData {
  const r = c.repeated!;
  const nv = r.visits.length;
  const n = c.nArm + c.nControl;
  const subject = new Int32Array(nObs);
  const visit = new Int32Array(nObs);
  const y = new Float64Array(nObs);
  const treatment = new Float64Array(nObs);
  const covariates: MmrmCovariate[] = item.covariates.map((name) => ({ name, values: new Float64Array(nObs), byVisit: true }));
  let i = 0;
  for (let k = 0; k < n; k++)
    for (let j = 0; j < nv; j++) {
      const v = r.values[k * nv + j]!;
      if (Number.isNaN(v)) continue;
      subject[i] = k;
      visit[i] = j;
      y[i] = v;
      treatment[i] = c.treatment[k]!;
      item.covariates.forEach((name, m) => (covariates[m]!.values[i] = c.covariates[name]![k]!));
      i++;
    }
  return { subject, visit, y, treatment, nSubjects: n, nVisits: nv, covariates, visitNames: r.visits };
}
