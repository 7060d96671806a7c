/**
 * Group-sequential designs on the z scale, as rpact's getDesignGroupSequential: critical values
 * from an alpha-spending function (Lan-DeMets O'Brien-Fleming or Pocock type, Hwang-Shih-DeCani)
 * or the classical O'Brien-Fleming and Pocock boundaries, one- or two-sided, and the probability
 * of crossing each boundary at each stage for a drift theta.
 *
 * Crossing probabilities use the recursive numerical integration of Jennison & Turnbull (2000,
 * ch. 19; as gsDesign): the density of Z_k on the continuation region is carried from stage to
 * stage on a grid (Simpson's rule on points concentrated around the mean), so each stage costs
 * O(m^2) for m grid points. The statistics Z_k = S_k / sqrt(I_k) have correlation
 * sqrt(I_j / I_k) (j < k); only information rates matter, so I_k = t_k.
 *
 * @example groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 3, alpha: 0.025, sided: 1 }).criticalValues // [3.7103, 2.5114, 1.9930], as rpact
 */
import { pnorm, qnorm } from './distributions.js';
import { uniroot } from './zeroin.js';

export type DesignType = 'asOF' | 'asP' | 'asHSD' | 'asKD' | 'OF' | 'P';

export interface DesignInput {
  typeOfDesign: DesignType;
  kMax: number;
  alpha: number;
  /** 1: upper boundaries only; 2: symmetric two-sided boundaries (alpha is two-sided). */
  sided: 1 | 2;
  /** Cumulative information rates (default equally spaced), the last 1. */
  informationRates?: readonly number[];
  /** Hwang-Shih-DeCani's gamma (asHSD), Kim-DeMets' rho (asKD), as rpact's gammaA. */
  gammaA?: number;
  /**
   * Non-binding futility bounds on the z scale for stages 1..kMax-1: they do not change the
   * critical values (computed as if never applied) but stop the trial in power calculations.
   */
  futilityBounds?: readonly number[];
  /**
   * Binding futility (one-sided designs): the trial must stop at a futility bound, so the
   * critical values are computed with the bounds in place (the chance of rejecting after
   * passing below one is not spent) and come out lower.
   */
  bindingFutility?: boolean;
}

export interface GroupSequentialDesign {
  informationRates: number[];
  /** z-scale critical values (for sided = 2 the upper of the symmetric pair). */
  criticalValues: number[];
  /** Cumulative alpha spent (two-sided for sided = 2). */
  alphaSpent: number[];
  /** One-sided nominal level of each stage, 1 - Phi(c_k). */
  stageLevels: number[];
  alpha: number;
  sided: 1 | 2;
  /** Futility bounds per stage (-Infinity where none; none at the last stage). */
  futilityBounds: number[];
  bindingFutility: boolean;
}

/** The cumulative alpha spent by information rate t (0 <= t <= 1) for a spending design. */
export function alphaSpending(type: 'asOF' | 'asP' | 'asHSD' | 'asKD', alpha: number, sided: 1 | 2, gamma = -4): (t: number) => number {
  switch (type) {
    case 'asOF': {
      // Lan-DeMets O'Brien-Fleming type: 2 (1 - Phi(z_{1 - alpha/2} / sqrt(t))), alpha per side for sided = 2.
      const z = qnorm(1 - alpha / (2 * sided));
      return (t) => (t <= 0 ? 0 : sided * 2 * (1 - pnorm(z / Math.sqrt(t))));
    }
    case 'asP':
      return (t) => alpha * Math.log(1 + (Math.E - 1) * t);
    case 'asHSD':
      return (t) => (t <= 0 ? 0 : gamma === 0 ? alpha * t : (alpha * (1 - Math.exp(-gamma * t))) / (1 - Math.exp(-gamma)));
    case 'asKD':
      // Kim-DeMets power family: alpha t^rho (rho = gammaA; 1 is near Pocock, 3 near O'Brien-Fleming).
      return (t) => (t <= 0 ? 0 : alpha * t ** gamma);
  }
}

/** Grid points and Simpson weights for N(mean, 1) on (lo, hi): Jennison & Turnbull's grid with r points per unit. */
export function grid(r: number, mean: number, lo: number, hi: number): { z: Float64Array; w: Float64Array } {
  const pts: number[] = [];
  for (let i = 1; i < r; i++) pts.push(mean - 3 - 4 * Math.log(r / i));
  for (let i = 0; i <= 4 * r; i++) pts.push(mean - 3 + (3 * i) / (2 * r));
  for (let i = r - 1; i >= 1; i--) pts.push(mean + 3 + 4 * Math.log(r / i));
  // Trim to (lo, hi), with the ends themselves as points.
  const inner = pts.filter((x) => x > lo && x < hi);
  const xs = [Math.max(lo, pts[0]!), ...inner, Math.min(hi, pts[pts.length - 1]!)].filter((x, i, a) => i === 0 || x > a[i - 1]!);
  const m = xs.length;
  // Simpson's rule on each interval, with its midpoint: 2m - 1 points.
  const z = new Float64Array(2 * m - 1);
  const w = new Float64Array(2 * m - 1);
  for (let i = 0; i < m; i++) z[2 * i] = xs[i]!;
  for (let i = 0; i + 1 < m; i++) {
    const h = xs[i + 1]! - xs[i]!;
    z[2 * i + 1] = (xs[i]! + xs[i + 1]!) / 2;
    w[2 * i] = w[2 * i]! + h / 6;
    w[2 * i + 1] = (4 * h) / 6;
    w[2 * i + 2] = w[2 * i + 2]! + h / 6;
  }
  return { z, w };
}

export const R_GRID = 32;
const phi = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
/** Upper tail 1 - Phi(x), accurate far into the tail. */
const upperTail = (x: number): number => pnorm(-x);

/**
 * The probability of first crossing the upper (and lower) boundary at each stage, for drift
 * theta (the mean of Z_k is theta sqrt(t_k)). lower[k] = -Infinity for no lower boundary.
 */
export function crossingProbabilities(rates: readonly number[], upper: readonly number[], lower: readonly number[], theta: number): { upper: number[]; lower: number[] } {
  const K = rates.length;
  const up: number[] = [];
  const low: number[] = [];
  let z: Float64Array = new Float64Array(0);
  let h: Float64Array = new Float64Array(0);
  for (let k = 0; k < K; k++) {
    const Ik = rates[k]!;
    const meanK = theta * Math.sqrt(Ik);
    if (k === 0) {
      up.push(upperTail(upper[0]! - meanK));
      low.push(Number.isFinite(lower[0]!) ? pnorm(lower[0]! - meanK) : 0);
    } else {
      const Ip = rates[k - 1]!;
      const delta = Ik - Ip;
      const sd = Math.sqrt(delta);
      let pu = 0;
      let pl = 0;
      for (let j = 0; j < z.length; j++) {
        const shift = z[j]! * Math.sqrt(Ip) + theta * delta;
        pu += h[j]! * upperTail((upper[k]! * Math.sqrt(Ik) - shift) / sd);
        if (Number.isFinite(lower[k]!)) pl += h[j]! * pnorm((lower[k]! * Math.sqrt(Ik) - shift) / sd);
      }
      up.push(pu);
      low.push(pl);
    }
    if (k === K - 1) break;
    // The density of Z_k on the continuation region (lower_k, upper_k), times the grid weights.
    const lo = Number.isFinite(lower[k]!) ? lower[k]! : -Infinity;
    const g = grid(R_GRID, meanK, lo, upper[k]!);
    const next = new Float64Array(g.z.length);
    if (k === 0) {
      for (let i = 0; i < g.z.length; i++) next[i] = g.w[i]! * phi(g.z[i]! - meanK);
    } else {
      const Ip = rates[k - 1]!;
      const delta = Ik - Ip;
      const sd = Math.sqrt(delta);
      const scale = Math.sqrt(Ik) / sd;
      for (let i = 0; i < g.z.length; i++) {
        let s = 0;
        for (let j = 0; j < z.length; j++) s += h[j]! * phi((g.z[i]! * Math.sqrt(Ik) - z[j]! * Math.sqrt(Ip) - theta * delta) / sd);
        next[i] = g.w[i]! * scale * s;
      }
    }
    z = g.z;
    h = next;
  }
  return { upper: up, lower: low };
}

function rates(o: DesignInput): number[] {
  if (o.informationRates) return [...o.informationRates];
  return Array.from({ length: o.kMax }, (_, k) => (k + 1) / o.kMax);
}

/** A root of f on [lo, hi] (to 1e-13), or a RangeError saying why there is none. */
function rootOr(f: (x: number) => number, lo: number, hi: number, why: string): number {
  const a = f(lo);
  const b = f(hi);
  if (!(a * b <= 0)) throw new RangeError(`groupSequentialDesign: ${why}`);
  return uniroot(f, lo, hi, 1e-13);
}

export function groupSequentialDesign(o: DesignInput): GroupSequentialDesign {
  if (!(Number.isInteger(o.kMax) && o.kMax >= 1 && o.kMax <= 20)) throw new RangeError(`groupSequentialDesign: kMax must be an integer 1..20, found ${o.kMax}`);
  if (!(o.alpha > 0 && o.alpha < (o.sided === 2 ? 1 : 0.5))) throw new RangeError(`groupSequentialDesign: alpha must lie in (0, ${o.sided === 2 ? 1 : 0.5}), found ${o.alpha}`);
  if (o.typeOfDesign === 'asHSD' && !Number.isFinite(o.gammaA)) throw new RangeError('groupSequentialDesign: asHSD needs gammaA');
  if (o.typeOfDesign === 'asKD' && !(Number.isFinite(o.gammaA) && o.gammaA! > 0)) throw new RangeError(`groupSequentialDesign: asKD needs a positive rho (gammaA), found ${o.gammaA}`);
  if (o.bindingFutility && o.sided === 2) throw new RangeError('groupSequentialDesign: binding futility bounds are for one-sided designs');
  const t = rates(o);
  const K = t.length;
  if (K !== o.kMax) throw new RangeError(`groupSequentialDesign: ${K} information rates for kMax ${o.kMax}`);
  t.forEach((x, k) => {
    if (!(x > (k === 0 ? 0 : t[k - 1]!) && x <= 1)) throw new RangeError(`groupSequentialDesign: information rates must increase strictly within (0, 1], found ${t.join(', ')}`);
  });
  if (Math.abs(t[K - 1]! - 1) > 1e-12) throw new RangeError(`groupSequentialDesign: the last information rate must be 1, found ${t[K - 1]}`);
  const two = o.sided === 2;
  const futility = t.map((_, k) => (k < K - 1 && o.futilityBounds?.[k] !== undefined ? o.futilityBounds[k]! : -Infinity));
  const binding = o.bindingFutility === true;
  // Under H0 the trial stops below a binding futility bound; non-binding bounds are ignored here.
  const lowerOf = (c: readonly number[]) => c.map((x, k) => (two ? -x : binding ? futility[k]! : -Infinity));
  /** Probability under H0 of rejecting at each stage (both sides for sided = 2; stopping at a binding futility bound is no rejection). */
  const rejectAt = (c: readonly number[]): number[] => {
    const p = crossingProbabilities(t.slice(0, c.length), c, lowerOf(c), 0);
    return p.upper.map((u, k) => (two ? u + p.lower[k]! : u));
  };
  const c: number[] = [];
  if (o.typeOfDesign === 'OF' || o.typeOfDesign === 'P') {
    // Classical shapes: c_k = C sqrt(t_K / t_k) (O'Brien-Fleming) or C (Pocock), C such that the total is alpha.
    const shape = t.map((tk) => (o.typeOfDesign === 'OF' ? Math.sqrt(1 / tk) : 1));
    const total = (C: number) => rejectAt(shape.map((s) => C * s)).reduce((a, b) => a + b, 0) - o.alpha;
    const C = rootOr(total, 1e-6, 40, 'the boundaries cannot be computed: the futility bounds are too extreme for this alpha');
    c.push(...shape.map((s) => C * s));
  } else {
    const spend = alphaSpending(o.typeOfDesign, o.alpha, o.sided, o.gammaA);
    let spent = 0;
    for (let k = 0; k < K; k++) {
      const target = spend(t[k]!) - spent;
      const f = (ck: number): number => rejectAt([...c, ck])[k]! - target;
      // The stage's boundary: its crossing probability, given no earlier crossing, equals the alpha
      // spent now (none spent: no rejection possible at this stage, an infinite boundary, as rpact).
      c.push(target <= 0 ? Infinity : rootOr(f, 0, 40, `the critical value of look ${k + 1} cannot be computed: the futility bounds are too extreme for this alpha`));
      spent += Math.max(0, target);
    }
  }
  for (let k = 0; k < K - 1; k++) {
    if (futility[k]! >= c[k]!) throw new RangeError(`groupSequentialDesign: the futility bound of look ${k + 1} (${futility[k]}) is not below its efficacy boundary (${c[k]!.toFixed(4)})`);
  }
  const rej = rejectAt(c);
  const alphaSpent: number[] = [];
  rej.reduce((s, x) => (alphaSpent.push(s + x), s + x), 0);
  return { informationRates: t, criticalValues: c, alphaSpent, stageLevels: c.map((x) => upperTail(x)), alpha: o.alpha, sided: o.sided, futilityBounds: futility, bindingFutility: binding };
}
