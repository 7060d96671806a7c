/**
 * Power and sample size of a group-sequential comparison of two means, as rpact's getPowerMeans
 * and getSampleSizeMeans (two groups, allocation a = n1 / n2, common SD): the z statistic at
 * information rate t_k has mean D sqrt(t_k) with D = sqrt(a) / (1 + a) * (alternative / stDev)
 * * sqrt(N) for N subjects in all. With normalApproximation = false (rpact's default) the drift
 * is replaced by the t-adjusted one, (z_{1-alpha/s} - qnorm(F_t(t_{1-alpha/s, N-2}; N-2, D)))
 * / sqrt(N) * sqrt(N), so the fixed design's power is that of the t test.
 *
 * @example powerMeans(design, { alternative: 2, stDev: 5, maxNumberOfSubjects: 200 }).overallReject // 0.8025 (normal approximation)
 */
import { ptNoncentralUpper, qnorm, qt } from './distributions.js';
import { crossingProbabilities, type GroupSequentialDesign } from './group-sequential.js';
import { uniroot } from './zeroin.js';
import { SampleSizeUnreachable } from './power.js';

export interface MeansInput {
  alternative: number;
  stDev: number;
  allocationRatioPlanned?: number;
  normalApproximation?: boolean;
}

export interface SequentialOutcome {
  overallReject: number;
  rejectPerStage: number[];
  /** Stopping for futility at stages 1..kMax-1 (non-binding bounds, followed). */
  futilityPerStage: number[];
  /** Stopping at stages 1..kMax-1 for any reason (rejection, futility, the other side's boundary). */
  stopPerStage: number[];
  earlyStop: number;
}

/**
 * The per-stage probabilities of rejecting and of stopping for futility for drift D at full
 * information. Two-sided designs: rejection counts the boundary on the side of the alternative
 * only (rpact's getSampleSize* with twoSidedPower = FALSE), or both sides with `twoSidedPower`
 * (rpact's getPower*); crossing the other stops the trial either way (earlyStop).
 */
export function sequentialOutcome(design: GroupSequentialDesign, drift: number, twoSidedPower = false): SequentialOutcome {
  const K = design.informationRates.length;
  const two = design.sided === 2;
  const lower = design.futilityBounds.map((f, k) => (two ? -design.criticalValues[k]! : f));
  const p = crossingProbabilities(design.informationRates, design.criticalValues, lower, drift);
  // twoSidedPower: a two-sided design's rejection on either side counts (rpact's getPower*).
  const rejectPerStage = two && twoSidedPower ? p.upper.map((u, k) => u + p.lower[k]!) : p.upper;
  const futilityPerStage = two ? [] : p.lower.slice(0, K - 1);
  // A trial stops at look k when z crosses either bound (rejectPerStage may already hold the lower crossing).
  const stopPerStage = Array.from({ length: K - 1 }, (_, k) => p.upper[k]! + p.lower[k]!);
  const earlyStop = stopPerStage.reduce((a, b) => a + b, 0);
  return { overallReject: rejectPerStage.reduce((a, b) => a + b, 0), rejectPerStage, futilityPerStage, stopPerStage, earlyStop };
}

/** Expected number of subjects: N t_k for a trial that stops at stage k, N when it runs to the end. */
function expectedSubjects(design: GroupSequentialDesign, o: SequentialOutcome, N: number): number {
  const K = design.informationRates.length;
  let e = 0;
  for (let k = 0; k < K - 1; k++) e += N * design.informationRates[k]! * o.stopPerStage[k]!;
  return e + N * (1 - o.earlyStop);
}

const effect = (m: MeansInput): number => {
  const a = m.allocationRatioPlanned ?? 1;
  return (Math.sqrt(a) / (1 + a)) * (m.alternative / m.stDev);
};

/** The drift at full information for N subjects: normal, or adjusted so the fixed design has the t test's power. */
function driftFor(design: GroupSequentialDesign, m: MeansInput, N: number): number {
  const d = effect(m) * Math.sqrt(N);
  if (m.normalApproximation) return d;
  const s = design.sided;
  const tq = qt(1 - design.alpha / s, N - 2);
  return qnorm(1 - design.alpha / s) - qnorm(1 - ptNoncentralUpper(tq, N - 2, d));
}

export function powerMeans(design: GroupSequentialDesign, m: MeansInput & { maxNumberOfSubjects: number; twoSidedPower?: boolean }): SequentialOutcome & { expectedNumberOfSubjects: number } {
  const o = sequentialOutcome(design, driftFor(design, m, m.maxNumberOfSubjects), m.twoSidedPower);
  return { ...o, expectedNumberOfSubjects: expectedSubjects(design, o, m.maxNumberOfSubjects) };
}

export interface SampleSizeMeans extends SequentialOutcome {
  maxNumberOfSubjects: number;
  numberOfSubjects: number[];
  expectedNumberOfSubjectsH0: number;
  expectedNumberOfSubjectsH1: number;
  /** The fixed (single-stage) design's total sample size. */
  nFixed: number;
}

/**
 * The drift at full information that gives the design power `target`; none where even a drift of
 * 20 (an enormous design) stays below it, as harsh futility bounds can make it.
 */
export function driftForPower(design: GroupSequentialDesign, target: number): number {
  const f = (D: number) => sequentialOutcome(design, D).overallReject - target;
  if (!(f(0) < 0 && f(20) > 0)) throw new SampleSizeUnreachable(`no size gives power ${target}: with these boundaries and futility bounds the power stays at most ${(f(20) + target).toFixed(4)}`);
  return uniroot(f, 0, 20, 1e-13);
}

/** The total sample size at which the design has power 1 - beta (rpact's getSampleSizeMeans). */
export function sampleSizeMeans(design: GroupSequentialDesign, m: MeansInput & { beta: number }): SampleSizeMeans {
  const s = design.sided;
  const target = 1 - m.beta;
  // The drift at full information that gives the power; N follows from it (normal approximation).
  const drift = driftForPower(design, target);
  const theta = effect(m);
  const nFixedNormal = ((qnorm(1 - design.alpha / s) + qnorm(target)) / theta) ** 2;
  const inflation = (drift / theta) ** 2 / nFixedNormal;
  // With the t approximation the fixed design's n is the t test's; the group-sequential one inflates it alike.
  const tn = (n: number) => tTestPower(n, design, theta) - target;
  if (!m.normalApproximation && !(tn(4) < 0 && tn(1e7) > 0)) throw new SampleSizeUnreachable(`no total n between 4 and 10,000,000 gives the t test power ${target} for this effect`);
  const nFixed = m.normalApproximation ? nFixedNormal : uniroot(tn, 4, 1e7, 1e-10);
  const N = nFixed * inflation;
  const o = sequentialOutcome(design, drift);
  const h0 = sequentialOutcome(design, 0);
  return {
    ...o,
    maxNumberOfSubjects: N,
    numberOfSubjects: design.informationRates.map((t) => N * t),
    expectedNumberOfSubjectsH0: expectedSubjects(design, h0, N),
    expectedNumberOfSubjectsH1: expectedSubjects(design, o, N),
    nFixed,
  };
}

/** The fixed design's power with the t test at n subjects in all: 1 - F_t(t_{1-alpha/s, n-2}; n-2, theta sqrt(n)). */
function tTestPower(n: number, design: GroupSequentialDesign, theta: number): number {
  return ptNoncentralUpper(qt(1 - design.alpha / design.sided, n - 2), n - 2, theta * Math.sqrt(n));
}
