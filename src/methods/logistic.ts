/** Logistic regression (R: glm(y ~ TRT + covariates, family = binomial)): the odds ratio of treatment, adjusted for the covariates; Wald test. */
import { isNotEstimable } from '../stats/not-estimable.js';
import { logisticRegression, profileCi } from '../stats/logistic-regression.js';
import { armPart, controlPart, countOnes, unestimable, type AnalysisMethod, type Counterfactuals } from './method.js';
import { covariatesTwice } from './truths.js';

const MEASURE = 'odds ratio (adjusted)';

export const logisticMethod: AnalysisMethod<'logistic'> = {
  id: 'logistic',
  endpoint: 'responder',
  measure: MEASURE,
  scale: 'ratio',
  adjusts: true,
  cis: ['wald', 'profile'],
  docs: { estimate: 'odds ratio of treatment in `glm(y ~ TRT + covariates, family = binomial)`, with its Wald CI (`ci: profile`: the profile-likelihood CI, as `confint`)', test: 'Wald z test of the coefficient' },
  compare(c, item, conf) {
    const [ea, ec] = [countOnes(armPart(c, c.value)), countOnes(controlPart(c, c.value))];
    const base = { measure: MEASURE, armSummary: ea / c.nArm, controlSummary: ec / c.nControl };
    const covs = { TRT: c.treatment, ...Object.fromEntries(item.covariates.map((k) => [k, c.covariates[k]!])) };
    const fit = logisticRegression(c.value, covs, conf);
    if (isNotEstimable(fit)) return unestimable(base, fit);
    const t = fit.coefficients.TRT!;
    let ci = t.waldCi;
    if (item.ci === 'profile') {
      const pl = profileCi(c.value, covs, 'TRT', conf);
      if (isNotEstimable(pl)) return unestimable(base, pl);
      ci = [Math.exp(pl[0]), Math.exp(pl[1])];
    }
    return { ...base, estimate: t.oddsRatio, se: t.se, ci, statistic: t.z, p: t.p };
  },
  truth: (cf, item) => conditionalOddsRatioTruth(cf, item.covariates),
};

/** The odds ratio of a logistic fit to both arms' counterfactual responses (arm first), with the analysis' covariates. */
function conditionalOddsRatioTruth(cf: Counterfactuals, covariates: readonly string[]): number {
  const m = cf.arm.length;
  const y = new Float64Array(2 * m);
  const trt = new Float64Array(2 * m);
  y.set(cf.arm, 0);
  y.set(cf.control, m);
  trt.fill(1, 0, m);
  const fit = logisticRegression(y, { TRT: trt, ...covariatesTwice(cf, covariates) });
  return isNotEstimable(fit) ? NaN : fit.coefficients.TRT!.oddsRatio;
}
