/**
 * Multiple imputation (method: mi): one MMRM fit to the comparison's observed repeated measures
 * (visit, treatment × visit, covariates × visit; the item's covariance, unstructured by
 * default), M imputations of every missing post-baseline value from parameter draws and the
 * conditional normal (stats/mi-impute.ts, under the item's `imputation`: mar, jump_to_reference,
 * copy_reference or copy_increments_in_reference; `delta` added to the active arm's imputed
 * values), ANCOVA of each completed dataset at the endpoint's visit, pooled by Rubin's rules
 * with Barnard–Rubin df (stats/rubin.ts). The draws come from the comparison's own stream.
 * The reference of the reference-based strategies is the comparison's control arm (treatment 0).
 *
 * Tipping point (`tipping_point`, when the caller asks: Comparison.tippingPoint): the same
 * imputations re-analysed with each delta added to the active arm's imputed values instead of
 * `delta` (common random numbers: the curve over delta is smooth), pooled per delta.
 *
 * The truth is the hypothetical estimand's (the mean individual difference of the outcomes had
 * no discontinuation occurred), the target of mar; a reference-based imputation targets a
 * treatment-policy estimand, whose truth needs an off-treatment course: declare `estimand:`
 * (README "Intercurrent events and estimands"), and the row reports that estimand's truth.
 */
import { ancova } from '../stats/ancova.js';
import { glsPatterns } from '../stats/mi-gls.js';
import { imputeOnce, type ImputationStrategy } from '../stats/mi-impute.js';
import { mmrm } from '../stats/mmrm.js';
import { isNotEstimable } from '../stats/not-estimable.js';
import { rubin } from '../stats/rubin.js';
import { unestimable, type AnalysisMethod, type TippingPointRow } from './method.js';
import { mmrmData } from './mmrm.js';
import { differenceInMeansTruth } from './truths.js';
import type { AnalysisItem } from '../spec/analysis-schema.js';

export const DEFAULT_IMPUTATIONS = 50;

/** The most deltas a tipping-point analysis takes (a range is cut there: a spec error). */
export const MAX_TIPPING_DELTAS = 201;

/** The deltas of an item's tipping_point: its list, or from..to in steps of by (towards to), in order. */
export function tippingDeltas(item: AnalysisItem): number[] {
  const t = item.tipping_point;
  if (!t) return [];
  if (t.deltas) return [...t.deltas];
  const { from = 0, to = 0, by = 1 } = t;
  const steps = Math.floor(Math.abs(to - from) / by + 1e-9);
  const sign = to >= from ? 1 : -1;
  // from + k·by·sign, rounded to 12 significant digits so that 0.1 steps read as typed.
  return Array.from({ length: steps + 1 }, (_, k) => Number((from + sign * k * by).toPrecision(12)));
}

export const miMethod: AnalysisMethod<'mi'> = {
  id: 'mi',
  endpoint: 'continuous',
  measure: 'difference in means (adjusted, MI)',
  scale: 'difference',
  adjusts: true,
  repeated: true,
  docs: {
    estimate:
      "adjusted difference in means at the endpoint's visit by multiple imputation from the MMRM (`imputation:` mar, jump_to_reference, copy_reference or copy_increments_in_reference; `imputations:` M, `delta:`), ANCOVA of each completed dataset pooled by Rubin's rules; see Multiple imputation",
    test: 't test with Barnard–Rubin df',
  },
  compare(c, item, conf) {
    const r = c.repeated!;
    const V = r.visits.length;
    const n = c.nArm + c.nControl;
    const strategy: ImputationStrategy = item.imputation ?? 'mar';
    const m = item.imputations ?? DEFAULT_IMPUTATIONS;
    const delta = item.delta ?? 0;
    let nObs = 0;
    let missing = 0;
    for (let i = 0; i < n * V; i++) Number.isNaN(r.values[i]!) ? missing++ : nObs++;
    const covariance = item.covariance ?? 'unstructured';
    const fit = mmrm(mmrmData(c, item, nObs), { covariance, conf });
    const measure = this.measure;
    if (isNotEstimable(fit)) return unestimable({ measure }, fit);
    if (!c.random) throw new Error('mi: the comparison has no random stream');
    const source = c.random();
    const centred = item.covariates.map((name) => Float64Array.from(c.covariates[name]!, (x) => x - fit.covariateMeans[name]!));
    const model = { nVisits: V, covariance: fit.covariance, nSubjects: fit.nSubjects, patterns: glsPatterns(r.values, c.treatment, centred, V) };
    const data = { values: r.values, treatment: c.treatment, centred };
    // Active-arm subjects whose endpoint visit is imputed: where delta shifts the analysed value.
    const shifted = Uint8Array.from({ length: n }, (_, i) => (c.treatment[i] === 1 && Number.isNaN(r.values[i * V + V - 1]!) ? 1 : 0));
    const deltas = c.tippingPoint ? tippingDeltas(item) : [];
    const tq = deltas.map(() => new Float64Array(m));
    const tu = deltas.map(() => new Float64Array(m));
    const yd = new Float64Array(n);
    const completed = new Float64Array(n * V);
    const y = new Float64Array(n);
    const covs = Object.fromEntries(item.covariates.map((k) => [k, c.covariates[k]!]));
    const q = new Float64Array(m);
    const u = new Float64Array(m);
    let dfCom = Infinity;
    let armSum = 0;
    let controlSum = 0;
    for (let k = 0; k < m; k++) {
      try {
        imputeOnce(model, data, strategy, 0, source, completed);
      } catch (err) {
        if (err instanceof RangeError) return unestimable({ measure }, err.message);
        throw err;
      }
      for (let i = 0; i < n; i++) {
        y[i] = completed[i * V + V - 1]! + (shifted[i] === 1 ? delta : 0);
        if (i < c.nArm) armSum += y[i]!;
        else controlSum += y[i]!;
      }
      const a = ancova(y, c.treatment, covs, conf);
      if (isNotEstimable(a)) return unestimable({ measure }, `imputation ${k + 1}: ${a.reason}`);
      q[k] = a.estimate;
      u[k] = a.se * a.se;
      dfCom = a.df;
      for (let d = 0; d < deltas.length; d++) {
        for (let i = 0; i < n; i++) yd[i] = completed[i * V + V - 1]! + (shifted[i] === 1 ? deltas[d]! : 0);
        const b = ancova(yd, c.treatment, covs, conf);
        if (isNotEstimable(b)) return unestimable({ measure }, `imputation ${k + 1}, tipping-point delta ${deltas[d]}: ${b.reason}`);
        tq[d]![k] = b.estimate;
        tu[d]![k] = b.se * b.se;
      }
    }
    const pooled = rubin(q, u, dfCom, conf);
    const shift = delta !== 0 ? `, delta ${delta}` : '';
    // With an estimand declared, true_effect is that estimand's (README "Intercurrent events and estimands").
    const truth = strategy === 'mar' || item.estimand !== undefined ? '' : '; true_effect is the hypothetical estimand (no off-treatment course is simulated)';
    const tippingPoint: TippingPointRow[] = deltas.map((d, j) => {
      const t = rubin(tq[j]!, tu[j]!, dfCom, conf);
      return { delta: d, estimate: t.estimate, se: t.se, lower: t.ci[0], upper: t.ci[1], statistic: t.t, df: t.df, p: t.p };
    });
    return {
      ...(c.tippingPoint ? { tippingPoint } : {}),
      measure,
      armSummary: armSum / (m * c.nArm),
      controlSummary: controlSum / (m * c.nControl),
      estimate: pooled.estimate,
      se: pooled.se,
      ci: pooled.ci,
      statistic: pooled.t,
      p: pooled.p,
      note: `${m} imputations, ${strategy.replaceAll('_', ' ')}${shift}; ${missing} of ${n * V} values imputed; Barnard-Rubin df ${pooled.df.toFixed(2)}, FMI ${pooled.fmi.toFixed(3)}${truth}`,
    };
  },
  truth: differenceInMeansTruth,
};
