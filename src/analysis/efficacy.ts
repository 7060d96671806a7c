/**
 * Applies the analysis plan's efficacy analyses: each active arm against the (first) control
 * arm, or per-arm estimates for a single-arm protocol. Every row carries the truth the
 * simulation knows (the same quantity computed on the counterfactual outcomes of all enrolled
 * twins), a multiplicity-adjusted p-value and the decision.
 */
import { pAdjust } from '../stats/p-adjust.js';
import type { AnalysisItem, AnalysisPlan } from '../spec/analysis-schema.js';
import type { EndpointRuntime, TrialModel } from '../trial/trial-model.js';
import { analysisMethod } from '../methods/registry.js';
import { unestimable, type AnalysisMethod, type Comparison, type Estimate, type Outcome } from '../methods/method.js';
import { estimateSingleArm, singleArmMeasure, singleArmTruth } from '../methods/single-arm.js';
import { createStream, TRIAL_LEVEL } from '../random/stream.js';
import { gatherRepeated, itemEstimand, type AnalysisSource, type EndpointSample } from './analysis-source.js';
import { tippingPoint, type TippingPointCsvRow } from './tipping-point.js';
import { DEFAULT_IMPUTATIONS } from '../methods/mi.js';

export interface EfficacyRow {
  endpoint: string;
  label: string;
  role: 'primary' | 'secondary';
  method: string;
  /** Adjustment covariates, joined by "+" (empty when none). */
  covariates: string;
  population: string;
  arm: string;
  /** Comparator arm; empty for single-arm estimates. */
  control: string;
  nArm: number;
  nControl: number | null;
  /** Events in each arm's analysed subjects (time-to-event endpoints; null otherwise, and for the control of a single-arm estimate). */
  eventsArm: number | null;
  eventsControl: number | null;
  /** What `estimate` is: difference in means, risk difference, odds ratio, hazard ratio, mean, proportion, median. */
  measure: string;
  armSummary: number | null;
  controlSummary: number | null;
  estimate: number | null;
  se: number | null;
  lower: number | null;
  upper: number | null;
  statistic: number | null;
  p: number | null;
  pAdjusted: number | null;
  alpha: number;
  sided: 'two' | 'one';
  reject: boolean | null;
  /** The same quantity on the counterfactual outcomes of all enrolled twins (null when unknown). */
  trueEffect: number | null;
  note: string;
  /** The item's estimand label (README "Intercurrent events and estimands"); absent when it declares none. */
  estimand?: string;
}

const fin = (x: number | undefined | null): number | null => (x === undefined || x === null || !Number.isFinite(x) ? null : x);

/**
 * The subjects of one arm (and of the control arm, after them) gathered into contiguous columns:
 * the order within each arm is the sample's (ADSL order), so every sum runs as it always has.
 */
function gather(s: EndpointSample, item: AnalysisItem, arm: number, control: number): Comparison {
  let nArm = 0;
  let nControl = 0;
  for (let i = 0; i < s.n; i++) {
    if (s.arm[i] === arm) nArm++;
    else if (control >= 0 && s.arm[i] === control) nControl++;
  }
  const n = nArm + nControl;
  const c: Comparison = { nArm, nControl, value: new Float64Array(n), time: new Float64Array(n), event: new Float64Array(n), treatment: new Float64Array(n), covariates: {} };
  const covs = item.covariates.map(() => new Float64Array(n));
  // Strata coded again by first appearance within the comparison, so they run 0..k-1 over its subjects.
  const strata = item.strata?.length ? new Int32Array(n) : undefined;
  const dense = new Map<number, number>();
  let ka = 0;
  let kc = nArm;
  for (let i = 0; i < s.n; i++) {
    let k: number;
    if (s.arm[i] === arm) {
      k = ka++;
      c.treatment[k] = 1;
    } else if (control >= 0 && s.arm[i] === control) k = kc++;
    else continue;
    c.value[k] = s.value[i]!;
    c.time[k] = s.time[i]!;
    c.event[k] = s.event[i]!;
    for (let j = 0; j < covs.length; j++) covs[j]![k] = s.covariates[j]![i]!;
    if (strata) {
      let d = dense.get(s.strata[i]!);
      if (d === undefined) dense.set(s.strata[i]!, (d = dense.size));
      strata[k] = d;
    }
  }
  item.covariates.forEach((name, j) => (c.covariates[name] = covs[j]!));
  if (strata) c.strata = strata;
  const repeated = gatherRepeated(s, arm, control);
  if (repeated) c.repeated = repeated;
  return c;
}

/** Events among the first `from`..`to` subjects of a comparison's event column. */
function eventsIn(event: Float64Array, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) k += event[i]!;
  return k;
}

/** The truth of a row: the method's quantity (or the single arm's) on the enrolled twins' counterfactual outcomes. */
function truthOf(model: TrialModel, e: EndpointRuntime, item: AnalysisItem, method: AnalysisMethod, source: AnalysisSource, arm: number, control: number): number {
  // Under the item's estimand when it declares one (README "Intercurrent events and estimands").
  const estimand = itemEstimand(model, item)?.label;
  const ya = source.counterfactual(e, arm, estimand);
  if (!ya) return NaN;
  if (control < 0) return singleArmTruth(e.kind, ya);
  const yc = source.counterfactual(e, control, estimand);
  if (!yc) return NaN;
  return method.truth({ arm: ya, control: yc, durationDays: model.durationDays, covariate: (name) => source.counterfactualCovariate(name, e), strata: () => source.counterfactualStrata(item.strata ?? []) }, item);
}

/** One-sided p: half the two-sided p in the favourable direction (exact for t, Wald and 1-df chi-square tests). */
function oneSided(p: number, estimate: number, ratio: boolean, direction: 'decrease' | 'increase', sign?: number): number {
  // Where the estimate is not estimable (NaN), the method's sign of the effect says the direction.
  const effect = Number.isNaN(estimate) && sign !== undefined ? sign : estimate - (ratio ? 1 : 0);
  const favourable = direction === 'decrease' ? effect < 0 : effect > 0;
  return favourable ? p / 2 : 1 - p / 2;
}

/**
 * Where an analysis that draws (multiple imputation) takes its random numbers: the trial's seed
 * and replicate (a single run is replicate 0). `vtrial analyze` uses the run's recorded seed.
 */
export interface AnalysisRandom {
  seed: number;
  replicate: number;
}

/** The seed of an analysis told none (`vtrial run`'s default seed). */
export const DEFAULT_ANALYSIS_RANDOM: AnalysisRandom = { seed: 1, replicate: 0 };

/** `tipping`: collects the tipping-point analyses of mi items that ask for one (single runs and analyze; replicate runs pass none). */
export function efficacy(model: TrialModel, plan: AnalysisPlan, source: AnalysisSource, random: AnalysisRandom = DEFAULT_ANALYSIS_RANDOM, tipping?: TippingPointCsvRow[]): EfficacyRow[] {
  const control = model.arms.find((a) => a.role === 'control');
  const controlIndex = control ? model.arms.indexOf(control) : -1;
  const actives = control ? model.arms.filter((a) => a !== control) : model.arms;
  const families: Record<'primary' | 'secondary', EfficacyRow[]> = { primary: [], secondary: [] };
  let itemIndex = -1;
  for (const role of ['primary', 'secondary'] as const) {
    for (const item of plan[role]) {
      itemIndex++;
      const e = model.endpoints.find((x) => x.id === item.endpoint)!;
      const population = item.population ?? plan.population;
      const sided = item.sided ?? plan.sided;
      const alpha = item.alpha ?? plan.alpha;
      const conf = sided === 'one' ? 1 - 2 * alpha : 1 - alpha;
      const method = analysisMethod(item.method);
      if (method.endpoint !== e.kind) throw new Error(`method ${item.method} does not apply to a ${e.kind} endpoint`);
      const sample = source.sample(e, item, population);
      const estimand = itemEstimand(model, item)?.label;
      for (const arm of actives) {
        const armIndex = model.arms.indexOf(arm);
        const c = gather(sample, item, armIndex, controlIndex);
        const purpose = `imputation/${itemIndex}/${armIndex}`;
        c.random = () => createStream({ seed: random.seed, replicate: random.replicate, patient: TRIAL_LEVEL, purpose });
        if (tipping && item.tipping_point) c.tippingPoint = true;
        const measure = control ? method.measure : singleArmMeasure(e.kind);
        const out: Outcome =
          c.nArm === 0 || (control && c.nControl === 0)
            ? unestimable({ measure }, `no subjects with data in ${c.nArm === 0 ? arm.id : control!.id}`)
            : control
              ? method.compare(c, item, conf)
              : estimateSingleArm(e.kind, c.value, c.time, c.event, conf);
        const est: Estimate = 'notEstimable' in out ? { ...out, estimate: out.estimate ?? NaN, ci: [NaN, NaN], note: `not estimable: ${out.notEstimable}` } : out;
        const ratio = control !== undefined && method.scale === 'ratio';
        let p = est.p ?? NaN;
        if (sided === 'one' && Number.isFinite(p)) p = oneSided(p, est.estimate, ratio, item.direction ?? 'decrease', est.sign);
        if (tipping && est.tippingPoint) {
          const t = tippingPoint(est.tippingPoint, sided, item.direction);
          const at = { endpoint: e.id, role, method: item.method, covariates: item.covariates.join('+'), arm: arm.id, control: control?.id ?? '', imputation: item.imputation ?? 'mar', imputations: item.imputations ?? DEFAULT_IMPUTATIONS, alpha, sided };
          tipping.push(...t.rows.map((r) => ({ ...at, ...r })));
          est.note = `${est.note ?? ''}; ${t.note}`;
        }
        families[role].push({
          endpoint: e.id,
          label: e.label,
          role,
          method: item.method,
          covariates: item.covariates.join('+'),
          population,
          arm: arm.id,
          control: control?.id ?? '',
          nArm: c.nArm,
          nControl: control ? c.nControl : null,
          eventsArm: e.kind === 'time_to_event' ? eventsIn(c.event, 0, c.nArm) : null,
          eventsControl: e.kind === 'time_to_event' && control ? eventsIn(c.event, c.nArm, c.nArm + c.nControl) : null,
          measure: est.measure,
          armSummary: fin(est.armSummary),
          controlSummary: fin(est.controlSummary),
          estimate: fin(est.estimate),
          se: fin(est.se),
          lower: fin(est.ci[0]),
          upper: fin(est.ci[1]),
          statistic: fin(est.statistic),
          p: fin(p),
          pAdjusted: null,
          alpha,
          sided,
          reject: null,
          trueEffect: fin(truthOf(model, e, item, method, source, armIndex, controlIndex)),
          // The row's estimand, when the item declares one (true_effect is its truth).
          note: estimand ? [est.note, `estimand ${estimand}`].filter(Boolean).join('; ') : (est.note ?? ''),
          ...(estimand ? { estimand } : {}),
        });
      }
    }
  }
  for (const role of ['primary', 'secondary'] as const) {
    const rows = families[role];
    const tested = rows.filter((r) => r.p !== null);
    const adjusted = pAdjust(tested.map((r) => r.p!), plan.multiplicity[role]);
    tested.forEach((r, i) => {
      r.pAdjusted = adjusted[i]!;
      r.reject = r.pAdjusted < r.alpha;
    });
  }
  return [...families.primary, ...families.secondary];
}
