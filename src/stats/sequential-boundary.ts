/**
 * Efficacy boundaries of a group-sequential design recomputed look by look at the information
 * actually observed, as a real trial does (README "Interim analyses"). At look k with observed
 * information rate t_k (observed information over the planned final information) the boundary
 * c_k solves
 *
 *   P_0(Z_1 < c_1, ..., Z_{k-1} < c_{k-1}, Z_k >= c_k) = alpha(s_k) - alpha(s_{k-1}),
 *
 * with the spending time s_k = min(t_k, 1) at an interim and s_K = 1 at the final look (it spends
 * what is left), and corr(Z_j, Z_k) = sqrt(t_j / t_k) from the observed rates. Two-sided designs
 * cross |Z_k| >= c_k; binding futility bounds f_k close the continuation region from below.
 *
 * c_k depends only on t_1..t_k and c_1..c_{k-1}, so the recursion of Jennison & Turnbull (as in
 * group-sequential.ts: the null density of Z_{k-1} on its continuation region on a grid) is
 * carried from look to look: finding c_k costs O(m) per trial value, moving the density to the
 * next look O(m^2), and states are cached by the observed rates (integers over a constant: events
 * or patients), so replicates with the same counts share them. Classical (O'Brien-Fleming,
 * Pocock) designs are not recomputed: their boundaries are those of the planned rates.
 */
import { pnorm } from './distributions.js';
import { alphaSpending, grid, R_GRID, type DesignType } from './group-sequential.js';
import { uniroot } from './zeroin.js';
import { conditionalPowerBound } from './conditional-power.js';

export interface SequentialDesign {
  type: DesignType;
  /** Two-sided alpha for sided = 2, as groupSequentialDesign. */
  alpha: number;
  sided: 1 | 2;
  /** Hwang-Shih-DeCani gamma, Kim-DeMets rho. */
  gamma?: number;
  /** Futility bounds on the z scale per interim look (null: none). */
  futility: readonly number[] | null;
  binding: boolean;
  /** Futility on conditional power: the bounds are where it equals the threshold (futility holds them at the planned rates). theta null: the current trend. */
  conditionalPower?: { threshold: number; theta: number | null; finalCritical: number };
  /** Classical designs: the critical values at the planned rates, per planned look. */
  classical?: readonly number[];
}

/** The recursion after some looks: their rates and boundaries, alpha spent, and the null density of the last Z on its continuation region. */
export interface BoundaryState {
  readonly key: string;
  readonly rates: readonly number[];
  readonly critical: readonly number[];
  /** alpha(s) at the last look's spending time. */
  readonly spent: number;
  readonly z: Float64Array;
  readonly h: Float64Array;
}

export const START: BoundaryState = { key: '', rates: [], critical: [], spent: 0, z: new Float64Array(0), h: new Float64Array(0) };

/** The futility bound of an interim look at observed information rate t: conditional-power bounds move with t, z bounds are as given. */
export function futilityBoundAt(d: SequentialDesign, plannedLook: number, t: number): number | undefined {
  const f = d.futility?.[plannedLook];
  const cp = d.conditionalPower;
  if (f === undefined || !cp) return f;
  return t < 1 ? conditionalPowerBound(cp.threshold, t, cp.finalCritical, cp.theta) : undefined;
}

const phi = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
const upperTail = (x: number): number => pnorm(-x);

const CACHE_SIZE = 4096;
const caches = new WeakMap<SequentialDesign, Map<string, BoundaryState>>();

/**
 * The state after the next look, at observed information rate t (> the last look's).
 * @param plannedLook the look's index among the planned looks (classical designs' boundaries)
 * @param final the study end (spends what is left; no density is carried on)
 */
export function nextBoundary(d: SequentialDesign, s: BoundaryState, t: number, plannedLook: number, final: boolean): BoundaryState {
  let cache = caches.get(d);
  if (!cache) caches.set(d, (cache = new Map()));
  const key = `${s.key}|${t}${final ? 'F' : ''}:${plannedLook}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const next = computeNext(d, s, t, plannedLook, final, key);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, next);
  return next;
}

function computeNext(d: SequentialDesign, s: BoundaryState, t: number, plannedLook: number, final: boolean, key: string): BoundaryState {
  const k = s.rates.length;
  const two = d.sided === 2;
  const Ik = t;
  const Ip = k > 0 ? s.rates[k - 1]! : 0;
  const sd = Math.sqrt(Ik - Ip);
  /** P_0(continue to look k, then cross c). */
  const crossing = (c: number): number => {
    if (k === 0) return upperTail(c) + (two ? pnorm(-c) : 0);
    let p = 0;
    const rootIk = Math.sqrt(Ik);
    const rootIp = Math.sqrt(Ip);
    for (let j = 0; j < s.z.length; j++) {
      const shift = s.z[j]! * rootIp;
      p += s.h[j]! * upperTail((c * rootIk - shift) / sd);
      if (two) p += s.h[j]! * pnorm((-c * rootIk - shift) / sd);
    }
    return p;
  };
  let c: number;
  let spent = s.spent;
  if (d.classical) c = d.classical[plannedLook]!;
  else {
    const spend = alphaSpending(d.type as 'asOF' | 'asP' | 'asHSD' | 'asKD', d.alpha, d.sided, d.gamma);
    const cumulative = spend(final ? 1 : Math.min(t, 1));
    const target = cumulative - s.spent;
    spent = Math.max(cumulative, s.spent);
    if (target <= 0) c = Infinity;
    else if (crossing(0) <= target) c = 0;
    else c = uniroot((x) => crossing(x) - target, 0, 40, 1e-13);
  }
  const rates = [...s.rates, t];
  const critical = [...s.critical, c];
  if (final) return { key, rates, critical, spent, z: START.z, h: START.h };
  // The null density of Z_k on (lower_k, c_k), times the grid weights.
  const f = futilityBoundAt(d, plannedLook, t);
  const lo = two ? -c : d.binding && f !== undefined ? f : -Infinity;
  // A binding bound at or above the boundary leaves no continuation region.
  if (!(lo < c)) return { key, rates, critical, spent, z: START.z, h: START.h };
  const g = grid(R_GRID, 0, lo, c);
  const h = new Float64Array(g.z.length);
  if (k === 0) for (let i = 0; i < g.z.length; i++) h[i] = g.w[i]! * phi(g.z[i]!);
  else {
    const rootIk = Math.sqrt(Ik);
    const rootIp = Math.sqrt(Ip);
    const scale = rootIk / sd;
    for (let i = 0; i < g.z.length; i++) {
      let acc = 0;
      const zi = g.z[i]! * rootIk;
      for (let j = 0; j < s.z.length; j++) acc += s.h[j]! * phi((zi - s.z[j]! * rootIp) / sd);
      h[i] = g.w[i]! * scale * acc;
    }
  }
  return { key, rates, critical, spent, z: g.z, h };
}
