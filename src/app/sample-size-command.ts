/**
 * `vtrial sample-size`: analytic sample size or power of a two-arm comparison, in one of three
 * modes chosen by the effect given — a difference in means (t test as R's power.t.test, and
 * PROCOVA with a prognostic score's correlation), two proportions (normal approximation, as
 * rpact's getSampleSizeRates), or a hazard ratio (Schoenfeld's events for the log-rank test) —
 * as a fixed design, or as a group-sequential design with alpha spending (rpact's
 * getSampleSizeMeans and the events of getSampleSizeSurvival). Given a power it solves for the
 * size; given a size (--n, --events) it gives the power. Pure: inputs in, numbers out.
 */
import { UsageError } from '../errors/usage-error.js';
import { pnorm, ptNoncentralUpper, qnorm, qt } from '../stats/distributions.js';
import { groupSequentialDesign, type DesignType, type GroupSequentialDesign } from '../stats/group-sequential.js';
import { powerMeans, sampleSizeMeans, sequentialOutcome, type SequentialOutcome } from '../stats/group-sequential-means.js';
import { sequentialEvents } from '../stats/group-sequential-survival.js';
import { procovaPower, procovaSampleSize } from '../stats/procova-sample-size.js';
import { powerTTest, SampleSizeUnreachable, sampleSizeTTest, solvePerArmN } from '../stats/power.js';
import { sampleSizeRates } from '../stats/sample-size-rates.js';
import { schoenfeldEvents } from '../stats/schoenfeld-events.js';

export type SampleSizeEffect =
  | { kind: 'means'; delta: number; sd: number; rho?: number; deflate: number; covariates: number }
  | { kind: 'rates'; p1: number; p2: number }
  | { kind: 'survival'; hazardRatio: number };

/** The spending families and classical designs, by their command-line names. */
export const SPENDING: Record<string, DesignType> = { of: 'asOF', pocock: 'asP', hsd: 'asHSD', kd: 'asKD', 'classical-of': 'OF', 'classical-pocock': 'P' };

export interface SequentialRequest {
  looks: number;
  /** Cumulative information rates (default equally spaced), the last 1. */
  information?: number[];
  spending: keyof typeof SPENDING;
  /** Hwang-Shih-DeCani's gamma (spending hsd) or Kim-DeMets' rho (spending kd). */
  gamma?: number;
  /** Futility bounds on the z scale at looks 1..K-1 (one-sided designs). */
  futility?: number[];
  /** Whether the futility bounds bind (the boundaries are then computed with them in place). */
  binding?: boolean;
}

export interface SampleSizeRequest {
  effect: SampleSizeEffect;
  /** Significance level: two-sided for sided 2, one-sided for sided 1. */
  alpha: number;
  sided: 1 | 2;
  /** Active : control allocation. */
  allocation: number;
  /** Solve for the size at this power, or give the power at this size (patients in all, or events). */
  target: { power: number } | { n: number } | { events: number };
  sequential?: SequentialRequest;
}

/** One analysis' answer: the size (patients in all and per arm, or events) and its power. */
export interface SampleSizeRow {
  analysis: string;
  /** Patients in both arms (not rounded), and per arm (active, control). */
  n: number | null;
  nActive: number | null;
  nControl: number | null;
  events: number | null;
  power: number;
}

export interface SequentialLook {
  look: number;
  informationRate: number;
  /** Cumulative patients (means, rates) or events (survival) at the look. */
  size: number;
  /** Efficacy boundary on the z scale, its one-sided nominal level and the cumulative alpha spent. */
  criticalValue: number | null;
  nominalAlpha: number;
  alphaSpent: number;
  futilityBound: number | null;
  /** Under the alternative: probability of rejecting at this look, and of stopping for futility. */
  rejectH1: number;
  futilityH1: number | null;
}

export interface SampleSizeResult {
  mode: SampleSizeEffect['kind'];
  solvedFor: 'size' | 'power';
  /** What was asked: the power to reach, or the size to give the power of. */
  target: SampleSizeRequest['target'];
  effect: SampleSizeEffect;
  alpha: number;
  sided: 1 | 2;
  allocation: number;
  rows: SampleSizeRow[];
  sequential?: {
    design: DesignType;
    bindingFutility: boolean;
    looks: SequentialLook[];
    /** Maximum size, the fixed design's size, and the expected size under H0 and H1 (patients or events). */
    maxSize: number;
    fixedSize: number;
    expectedSizeH0: number;
    expectedSizeH1: number;
    overallPower: number;
    unit: 'patients' | 'events';
  };
}

/** The per-arm split of n patients in all for allocation a (active : control). */
const split = (n: number, a: number) => ({ nActive: (n * a) / (1 + a), nControl: n / (1 + a) });

/** Two-sided level for the two-sided formulas: a one-sided test at alpha is the two-sided one at 2 alpha. */
const twoSidedAlpha = (r: SampleSizeRequest) => (r.sided === 1 ? 2 * r.alpha : r.alpha);

/** The solver's result, or a usage error saying why no size has the target power. */
function solve<T>(label: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof SampleSizeUnreachable) throw new UsageError(`sample-size (${label}): ${err.message}`);
    throw err;
  }
}

/** Power of the two-sample t test with nControl and a nControl patients (power.t.test for a = 1). */
function tPower(nControl: number, a: number, delta: number, sd: number, alpha2: number, covariates = 0, rho = 0): number {
  if (a === 1 && covariates === 0) return powerTTest({ n: nControl, delta, sd, alpha: alpha2 });
  if (a === 1) return procovaPower(nControl, { delta, sd, rho, alpha: alpha2, covariates });
  const n1 = a * nControl;
  const df = n1 + nControl - 2 - covariates;
  const ncp = Math.abs(delta) / (sd * Math.sqrt(1 - rho * rho) * Math.sqrt(1 / n1 + 1 / nControl));
  return ptNoncentralUpper(qt(1 - alpha2 / 2, df), df, ncp);
}

function meansFixed(r: SampleSizeRequest, e: Extract<SampleSizeEffect, { kind: 'means' }>): SampleSizeRow[] {
  const a = r.allocation;
  const alpha2 = twoSidedAlpha(r);
  const rows: SampleSizeRow[] = [];
  const row = (analysis: string, nControl: number, power: number): SampleSizeRow => ({ analysis, n: nControl * (1 + a), nActive: a * nControl, nControl, events: null, power });
  const rho = e.rho === undefined ? undefined : e.rho * e.deflate;
  if ('power' in r.target) {
    const target = r.target.power;
    const lowerT = 2 / Math.min(1, a) ; // at least 2 per arm
    const nT = a === 1 ? solve('unadjusted', () => sampleSizeTTest({ power: target, delta: e.delta, sd: e.sd, alpha: alpha2 })) : solve('unadjusted', () => solvePerArmN((n) => tPower(n, a, e.delta, e.sd, alpha2), target, lowerT));
    rows.push(row('t test', nT, tPower(nT, a, e.delta, e.sd, alpha2)));
    if (rho !== undefined) {
      const nP =
        a === 1
          ? solve('PROCOVA', () => procovaSampleSize({ delta: e.delta, sd: e.sd, rho: e.rho!, deflate: e.deflate, covariates: e.covariates, alpha: alpha2, power: target }))
          : solve('PROCOVA', () => solvePerArmN((n) => tPower(n, a, e.delta, e.sd, alpha2, e.covariates, rho), target, (2 + e.covariates / 2) / Math.min(1, a)));
      rows.push(row(`PROCOVA (rho ${+rho.toPrecision(6)}, ${e.covariates} covariate${e.covariates === 1 ? '' : 's'})`, nP, tPower(nP, a, e.delta, e.sd, alpha2, e.covariates, rho)));
    }
  } else {
    const n = (r.target as { n: number }).n;
    const nControl = n / (1 + a);
    if (rho !== undefined && !(n - 2 - e.covariates > 0)) throw new UsageError(`sample-size: PROCOVA with ${e.covariates} covariate${e.covariates === 1 ? '' : 's'} leaves ${n - 2 - e.covariates} residual degrees of freedom at --n ${n}: give more patients or fewer covariates`);
    rows.push(row('t test', nControl, tPower(nControl, a, e.delta, e.sd, alpha2)));
    if (rho !== undefined) rows.push(row(`PROCOVA (rho ${+rho.toPrecision(6)}, ${e.covariates} covariate${e.covariates === 1 ? '' : 's'})`, nControl, tPower(nControl, a, e.delta, e.sd, alpha2, e.covariates, rho)));
  }
  return rows;
}

/** Power of the two-proportion z test (unpooled alternative variance) with n patients in all, as the inverse of sampleSizeRates. */
function ratesPower(n: number, p1: number, p2: number, a: number, alpha: number, sided: 1 | 2): number {
  const n1 = (n * a) / (1 + a);
  const pbar = (a * p1 + p2) / (1 + a);
  return pnorm((Math.abs(p1 - p2) * Math.sqrt(n1) - qnorm(1 - alpha / sided) * Math.sqrt(pbar * (1 - pbar) * (1 + a))) / Math.sqrt(p1 * (1 - p1) + a * p2 * (1 - p2)));
}

function ratesFixed(r: SampleSizeRequest, e: Extract<SampleSizeEffect, { kind: 'rates' }>): SampleSizeRow[] {
  const a = r.allocation;
  if ('power' in r.target) {
    const s = sampleSizeRates({ pi1: e.p1, pi2: e.p2, alpha: r.alpha, sided: r.sided, beta: 1 - r.target.power, allocation: a });
    return [{ analysis: 'two proportions (normal approximation)', n: s.nFixed, nActive: s.nFixed1, nControl: s.nFixed2, events: null, power: ratesPower(s.nFixed, e.p1, e.p2, a, r.alpha, r.sided) }];
  }
  const n = (r.target as { n: number }).n;
  return [{ analysis: 'two proportions (normal approximation)', n, ...split(n, a), events: null, power: ratesPower(n, e.p1, e.p2, a, r.alpha, r.sided) }];
}

/** Power of the log-rank test with D events (Schoenfeld): Phi(sqrt(D a) / (1 + a) |log HR| - z_{1 - alpha/s}). */
const eventsPower = (D: number, hr: number, a: number, alpha: number, sided: 1 | 2) => pnorm((Math.sqrt(D * a) / (1 + a)) * Math.abs(Math.log(hr)) - qnorm(1 - alpha / sided));

function survivalFixed(r: SampleSizeRequest, e: Extract<SampleSizeEffect, { kind: 'survival' }>): SampleSizeRow[] {
  const a = r.allocation;
  const D = 'power' in r.target ? schoenfeldEvents({ hazardRatio: e.hazardRatio, alpha: twoSidedAlpha(r), power: r.target.power, allocation: a }) : (r.target as { events: number }).events;
  return [{ analysis: "log-rank (Schoenfeld's events)", n: null, nActive: null, nControl: null, events: D, power: eventsPower(D, e.hazardRatio, a, r.alpha, r.sided) }];
}

function designOf(r: SampleSizeRequest, q: SequentialRequest): GroupSequentialDesign {
  try {
    return groupSequentialDesign({ typeOfDesign: SPENDING[q.spending]!, kMax: q.looks, alpha: r.alpha, sided: r.sided, informationRates: q.information, gammaA: q.gamma, futilityBounds: q.futility, bindingFutility: q.binding });
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(`sample-size: ${err.message.replace(/^groupSequentialDesign: /, '')}`);
    throw err;
  }
}

function looksOf(d: GroupSequentialDesign, maxSize: number, h1: SequentialOutcome): SequentialLook[] {
  return d.informationRates.map((t, k) => ({
    look: k + 1,
    informationRate: t,
    size: maxSize * t,
    criticalValue: Number.isFinite(d.criticalValues[k]!) ? d.criticalValues[k]! : null,
    nominalAlpha: d.stageLevels[k]!,
    alphaSpent: d.alphaSpent[k]!,
    futilityBound: Number.isFinite(d.futilityBounds[k]!) ? d.futilityBounds[k]! : null,
    rejectH1: h1.rejectPerStage[k]!,
    futilityH1: k < d.informationRates.length - 1 && d.sided === 1 && Number.isFinite(d.futilityBounds[k]!) ? h1.futilityPerStage[k]! : null,
  }));
}

/** Expected size when a trial stops at look k with size_k, and runs to the end otherwise. */
function expectedSize(d: GroupSequentialDesign, o: SequentialOutcome, max: number): number {
  let e = 0;
  for (let k = 0; k < d.informationRates.length - 1; k++) e += max * d.informationRates[k]! * o.stopPerStage[k]!;
  return e + max * (1 - o.earlyStop);
}

function sequential(r: SampleSizeRequest, q: SequentialRequest): Pick<SampleSizeResult, 'rows' | 'sequential'> {
  const d = designOf(r, q);
  const a = r.allocation;
  const e = r.effect;
  if (e.kind === 'rates') throw new UsageError('sample-size: group-sequential designs (--looks) are available for means (--delta) and hazard ratios (--hr); two proportions are fixed designs only');
  if (e.kind === 'means' && e.rho !== undefined) throw new UsageError('sample-size: PROCOVA (--rho) is for fixed designs; leave out --rho or --looks');
  const h0 = sequentialOutcome(d, 0);
  if (e.kind === 'means') {
    const m = { alternative: e.delta, stDev: e.sd, allocationRatioPlanned: a };
    let N: number;
    let fixed: number;
    let h1: SequentialOutcome;
    if ('power' in r.target) {
      const target = r.target.power;
      const s = solve('group-sequential', () => sampleSizeMeans(d, { ...m, alternative: Math.abs(e.delta), beta: 1 - target }));
      N = s.maxNumberOfSubjects;
      fixed = s.nFixed;
      h1 = s;
    } else {
      N = (r.target as { n: number }).n;
      h1 = powerMeans(d, { ...m, alternative: Math.abs(e.delta), maxNumberOfSubjects: N, twoSidedPower: true });
      fixed = NaN;
    }
    const looks = looksOf(d, N, h1);
    return {
      rows: [{ analysis: 't test, group-sequential', n: N, ...split(N, a), events: null, power: h1.overallReject }],
      sequential: { design: SPENDING[q.spending]!, bindingFutility: d.bindingFutility, looks, maxSize: N, fixedSize: fixed, expectedSizeH0: expectedSize(d, h0, N), expectedSizeH1: expectedSize(d, h1, N), overallPower: h1.overallReject, unit: 'patients' },
    };
  }
  const theta = (Math.sqrt(a) / (1 + a)) * Math.abs(Math.log(e.hazardRatio));
  let D: number;
  let fixed: number;
  let h1: SequentialOutcome;
  if ('power' in r.target) {
    const target = r.target.power;
    const s = solve('group-sequential', () => sequentialEvents(d, { hazardRatio: e.hazardRatio, allocationRatioPlanned: a, beta: 1 - target }));
    D = s.maxNumberOfEvents;
    fixed = s.eventsFixed;
    h1 = s.outcome;
  } else {
    D = (r.target as { events: number }).events;
    h1 = sequentialOutcome(d, theta * Math.sqrt(D), true);
    fixed = NaN;
  }
  return {
    rows: [{ analysis: 'log-rank, group-sequential', n: null, nActive: null, nControl: null, events: D, power: h1.overallReject }],
    sequential: { design: SPENDING[q.spending]!, bindingFutility: d.bindingFutility, looks: looksOf(d, D, h1), maxSize: D, fixedSize: fixed, expectedSizeH0: expectedSize(d, h0, D), expectedSizeH1: expectedSize(d, h1, D), overallPower: h1.overallReject, unit: 'events' },
  };
}

export function sampleSizeCommand(r: SampleSizeRequest): SampleSizeResult {
  const e = r.effect;
  if ('events' in r.target && e.kind !== 'survival') throw new UsageError('sample-size: --events is for a hazard ratio (--hr); give --n for means or proportions');
  if ('n' in r.target && e.kind === 'survival') throw new UsageError('sample-size: a hazard ratio (--hr) is powered by its events: give --events, not --n');
  const solvedFor = 'power' in r.target ? 'size' : 'power';
  const base = { mode: e.kind, solvedFor, target: r.target, effect: e, alpha: r.alpha, sided: r.sided, allocation: r.allocation } as const;
  if (r.sequential && r.sequential.looks > 1) return { ...base, ...sequential(r, r.sequential) };
  const rows = e.kind === 'means' ? meansFixed(r, e) : e.kind === 'rates' ? ratesFixed(r, e) : survivalFixed(r, e);
  return { ...base, rows };
}
