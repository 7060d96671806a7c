/**
 * Applies the analysis plan's efficacy analyses: each active arm against the (first) control
 * arm, or per-arm estimates for a single-arm protocol. Every row carries the truth the
 * simulation knows (the same quantity computed on the counterfactual outcomes of all enrolled
 * twins), a multiplicity-adjusted p-value and the decision.
 */
import { ancova } from '../stats/ancova.js';
import { clopperPearson } from '../stats/clopper-pearson.js';
import { coxPh } from '../stats/cox.js';
import { pt, qt } from '../stats/distributions.js';
import { fisherExact } from '../stats/fisher-exact.js';
import { kaplanMeier } from '../stats/kaplan-meier.js';
import { logRank } from '../stats/log-rank.js';
import { survivalOrder } from '../stats/survival-order.js';
import { pAdjust } from '../stats/p-adjust.js';
import { pooledTTest, welchTTest } from '../stats/t-test.js';
import { isNotEstimable, NotEstimable } from '../stats/not-estimable.js';
import { pearsonChiSquare, riskDifference } from '../stats/two-by-two.js';
import type { AnalysisItem, AnalysisPlan } from '../spec/analysis-schema.js';
import type { EndpointRuntime, TrialModel } from '../trial/trial-model.js';
import type { AdamData } from './adam-data.js';
import { subjectsFor, type Subject } from './endpoint-data.js';
import { trueEffect } from './truth.js';

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
}

const fin = (x: number | undefined | null): number | null => (x === undefined || x === null || !Number.isFinite(x) ? null : x);
const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

interface Summaries {
  measure: string;
  armSummary?: number;
  controlSummary?: number;
}

interface Estimate extends Summaries {
  estimate: number;
  se?: number;
  ci: [number, number];
  statistic?: number;
  p?: number;
  note?: string;
}

/** A row whose quantity cannot be estimated: every derived number is NA, the reason is its note. */
interface Unestimable extends Summaries {
  notEstimable: string;
  /** Kept where it is exact although nothing else can be estimated (see NotEstimable). */
  estimate?: number;
}

type Outcome = Estimate | Unestimable;

const unestimable = (s: Summaries, why: NotEstimable | string): Unestimable => (typeof why === 'string' ? { ...s, notEstimable: why } : { ...s, notEstimable: why.reason, estimate: why.estimate });

function measureOf(e: EndpointRuntime, item: AnalysisItem, comparative: boolean): string {
  if (!comparative) return e.kind === 'time_to_event' ? 'median' : e.kind === 'responder' ? 'proportion' : 'mean';
  switch (item.method) {
    case 'welch_t_test':
    case 'pooled_t_test':
      return 'difference in means';
    case 'ancova':
      return 'difference in means (adjusted)';
    case 'chisq':
      return 'risk difference';
    case 'fisher':
      return 'odds ratio (conditional MLE)';
    default:
      return 'hazard ratio';
  }
}

function compare(e: EndpointRuntime, item: AnalysisItem, a: Subject[], c: Subject[], conf: number): Outcome {
  const va = a.map((s) => s.value);
  const vc = c.map((s) => s.value);
  const measure = measureOf(e, item, true);
  switch (item.method) {
    case 'welch_t_test':
    case 'pooled_t_test': {
      const base = { measure, armSummary: mean(va), controlSummary: mean(vc) };
      const r = (item.method === 'welch_t_test' ? welchTTest : pooledTTest)(va, vc, conf);
      if (isNotEstimable(r)) return unestimable(base, r);
      return { ...base, estimate: r.estimate, se: r.se, ci: r.ci, statistic: r.t, p: r.p };
    }
    case 'ancova': {
      const both = [...a, ...c];
      const base = { measure, armSummary: mean(va), controlSummary: mean(vc) };
      const covs = Object.fromEntries(item.covariates.map((k) => [k, both.map((s) => s.covariates[k]!)]));
      const r = ancova(both.map((s) => s.value), both.map((_, i) => (i < a.length ? 1 : 0)), covs, conf);
      if (isNotEstimable(r)) return unestimable(base, r);
      const note = r.aliased.length ? `${r.aliased.join(', ')} dropped: constant or collinear (R's lm reports NA)` : '';
      return { ...base, estimate: r.estimate, se: r.se, ci: r.ci, statistic: r.t, p: r.p, note };
    }
    case 'chisq': {
      const [ea, ec] = [va.filter((v) => v === 1).length, vc.filter((v) => v === 1).length];
      const base = { measure, armSummary: ea / a.length, controlSummary: ec / c.length };
      const rd = riskDifference(ea, a.length, ec, c.length, conf);
      const chi = pearsonChiSquare(ea, a.length, ec, c.length);
      // Every subject with the same response: the difference is exact (0), but there is neither a test nor a Wald interval.
      if (Number.isNaN(chi.p)) return { ...base, estimate: rd.estimate, ci: [NaN, NaN], note: 'no test: every subject has the same response' };
      // Complete separation (0% against 100%): Pearson's test stands, the Wald interval does not.
      if (isNotEstimable(rd)) return { ...base, estimate: rd.estimate, ci: [NaN, NaN], statistic: chi.statistic, p: chi.p, note: `risk difference interval not estimable: ${rd.reason}` };
      return { ...base, estimate: rd.estimate, se: rd.se, ci: rd.ci, statistic: chi.statistic, p: chi.p };
    }
    case 'fisher': {
      const [ea, ec] = [va.filter((v) => v === 1).length, vc.filter((v) => v === 1).length];
      const f = fisherExact(ea, a.length - ea, ec, c.length - ec, conf);
      return { measure, armSummary: ea / a.length, controlSummary: ec / c.length, estimate: f.estimate, ci: f.ci, p: f.p, note: Number.isFinite(f.estimate) && f.estimate > 0 ? '' : 'odds ratio at the edge of its range (a zero cell)' };
    }
    case 'cox':
    case 'logrank': {
      const both = [...a, ...c];
      const time = both.map((s) => s.time);
      const status = both.map((s) => s.event);
      const arm = both.map((_, i) => (i < a.length ? 1 : 0));
      const ka = kaplanMeier(a.map((s) => s.time), a.map((s) => s.event));
      const kc = kaplanMeier(c.map((s) => s.time), c.map((s) => s.event));
      if (ka.events + kc.events === 0) return unestimable({ measure }, 'no events in either arm (all censored)');
      const base = { measure, armSummary: ka.median, controlSummary: kc.median };
      const order = survivalOrder(time); // one sort for the log-rank test and every Cox step
      const lr = logRank(time, status, arm.map((x) => (x ? 'arm' : 'control')), ['arm', 'control'], { timeOrder: order });
      let fit: ReturnType<typeof coxPh>;
      if (ka.events === 0 || kc.events === 0) fit = new NotEstimable(`no events in the ${ka.events === 0 ? 'active' : 'control'} arm`);
      else {
        const covs = item.method === 'cox' ? Object.fromEntries(item.covariates.map((k) => [k, both.map((s) => s.covariates[k]!)])) : {};
        fit = coxPh(time, status, { TRT: arm, ...covs }, item.ties, conf, { order });
      }
      if (isNotEstimable(fit)) {
        if (item.method === 'cox') return unestimable(base, fit);
        // The log-rank test stands without a hazard ratio.
        return { ...base, estimate: NaN, ci: [NaN, NaN], statistic: lr.chisq, p: lr.p, note: `hazard ratio not estimable: ${fit.reason}` };
      }
      const t = fit.coefficients.TRT!;
      return item.method === 'cox'
        ? { ...base, estimate: t.hr, se: t.se, ci: t.ci, statistic: t.z, p: t.p }
        : { ...base, estimate: t.hr, se: t.se, ci: t.ci, statistic: lr.chisq, p: lr.p };
    }
  }
  throw new Error(`method ${item.method} does not apply to a ${e.kind} endpoint`);
}

function singleArm(e: EndpointRuntime, a: Subject[], conf: number): Outcome {
  if (e.kind === 'time_to_event') {
    const km = kaplanMeier(a.map((s) => s.time), a.map((s) => s.event), conf);
    return { measure: 'median', estimate: km.median, ci: km.medianCi, note: Number.isNaN(km.median) ? 'median not reached' : '' };
  }
  const v = a.map((s) => s.value);
  if (e.kind === 'responder') {
    const x = v.filter((y) => y === 1).length;
    const cp = clopperPearson(x, v.length, conf);
    return { measure: 'proportion', estimate: cp.estimate, ci: cp.ci };
  }
  const m = mean(v);
  if (v.length < 2) return unestimable({ measure: 'mean' }, 'fewer than two subjects with data');
  const sd = Math.sqrt(v.reduce((s, y) => s + (y - m) ** 2, 0) / (v.length - 1));
  if (!Number.isFinite(m) || !Number.isFinite(sd)) return unestimable({ measure: 'mean' }, 'the values are too large: their sums of squares overflow');
  const se = sd / Math.sqrt(v.length);
  // A loop, not Math.max(...v): spreading a million values overflows the call stack.
  let scale = 1;
  for (const y of v) if (Math.abs(y) > scale) scale = Math.abs(y);
  if (se <= 1e-10 * scale) return unestimable({ measure: 'mean' }, 'no variance');
  const q = qt(1 - (1 - conf) / 2, v.length - 1);
  return { measure: 'mean', estimate: m, se, ci: [m - q * se, m + q * se], statistic: m / se, p: 2 * pt(-Math.abs(m / se), v.length - 1) };
}

/** One-sided p: half the two-sided p in the favourable direction (exact for t, Wald and 1-df chi-square tests). */
function oneSided(p: number, estimate: number, ratio: boolean, direction: 'decrease' | 'increase'): number {
  const favourable = direction === 'decrease' ? estimate < (ratio ? 1 : 0) : estimate > (ratio ? 1 : 0);
  return favourable ? p / 2 : 1 - p / 2;
}

export function efficacy(model: TrialModel, plan: AnalysisPlan, data: AdamData): EfficacyRow[] {
  const control = model.arms.find((a) => a.role === 'control');
  const actives = control ? model.arms.filter((a) => a !== control) : model.arms;
  const families: Record<'primary' | 'secondary', EfficacyRow[]> = { primary: [], secondary: [] };
  for (const role of ['primary', 'secondary'] as const) {
    for (const item of plan[role]) {
      const e = model.endpoints.find((x) => x.id === item.endpoint)!;
      const population = item.population ?? plan.population;
      const sided = item.sided ?? plan.sided;
      const alpha = item.alpha ?? plan.alpha;
      const conf = sided === 'one' ? 1 - 2 * alpha : 1 - alpha;
      const subjects = subjectsFor(model, e, item, population, data);
      for (const arm of actives) {
        const a = subjects.filter((s) => s.arm === arm.id);
        const c = control ? subjects.filter((s) => s.arm === control.id) : [];
        const out: Outcome =
          a.length === 0 || (control && c.length === 0)
            ? unestimable({ measure: measureOf(e, item, Boolean(control)) }, `no subjects with data in ${a.length === 0 ? arm.id : control!.id}`)
            : control
              ? compare(e, item, a, c, conf)
              : singleArm(e, a, conf);
        const est: Estimate = 'notEstimable' in out ? { ...out, estimate: out.estimate ?? NaN, ci: [NaN, NaN], note: `not estimable: ${out.notEstimable}` } : out;
        const ratio = /ratio/.test(est.measure);
        let p = est.p ?? NaN;
        if (sided === 'one' && Number.isFinite(p)) p = oneSided(p, est.estimate, ratio, item.direction ?? 'decrease');
        families[role].push({
          endpoint: e.id,
          label: e.label,
          role,
          method: item.method,
          covariates: item.covariates.join('+'),
          population,
          arm: arm.id,
          control: control?.id ?? '',
          nArm: a.length,
          nControl: control ? c.length : null,
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
          trueEffect: fin(trueEffect(model, e, item, arm.id, control?.id, data)),
          note: est.note ?? '',
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
