/**
 * One step of the simulated sample-size search (vtrial sample-size PROTOCOL): from the points
 * simulated so far (N, replicates meeting the success criterion), fit probit(power) = a + b log N
 * (probit-fit.ts), solve for the N* that reaches the target power, and say which N to simulate
 * next: N* rounded up to the block, and a neighbour on each side (about 10% away) while no
 * simulated point lies within 15% on that side; when the points do not yet straddle the target
 * (all above or all below), the bracket is widened by halving or doubling. The search is done when
 * the rounded N* has been simulated and the points straddle it.
 *
 * N is any positive value on a lattice: multiples of `block` (the randomisation block, 1, or the
 * `--step` of a real-valued path such as an Emax) within [min, max]. With direction -1 power falls
 * as N grows (a residual SD): the answer is the largest N reaching the target, rounded down. When
 * the search cannot go on (below the target at the limit, a root beyond it, a curve clearly going
 * the wrong way) the step says why (`reason`) instead of proposing nothing.
 */
import { pnorm, qnorm } from '../stats/distributions.js';
import { probitFit, type ProbitFit } from './probit-fit.js';

/** The files of a simulated sample-size search (registered in src/io/output-files.ts). */
export const SAMPLE_SIZE_JSON = 'sample-size.json';
export const SAMPLE_SIZE_SEARCH_CSV = 'sample-size-search.csv';
export const SAMPLE_SIZE_SEARCH_COLUMNS = ['round', 'n', 'replicates', 'successes', 'power', 'power_mcse', 'fitted_power'] as const;

export interface SearchPoint {
  n: number;
  successes: number;
  trials: number;
}

export interface SearchOptions {
  target: number;
  /** The values N must be a multiple of: the randomisation block for enrolment.target, 1 for other whole-number paths, the resolution (`--step`) of a real-valued one. */
  block: number;
  /** Smallest N allowed (at least one block). */
  min: number;
  /** Largest N allowed (`--max`; default none). */
  max?: number;
  /** Power rises with N (1, the default) or falls (-1, `--direction decrease`: the answer is then the largest N reaching the target). */
  direction?: 1 | -1;
}

export interface SearchStep {
  fit: ProbitFit | null;
  /** The root of the fitted curve (not rounded), and it rounded up to the block. */
  nFitted: number | null;
  nChosen: number | null;
  next: number[];
  done: boolean;
  /** Why the search cannot go on without an answer (done, nChosen null), else null. */
  reason: string | null;
}

/** A multiple of `block` as a clean decimal (0.456, not 0.45600000000000002), so values read back from a sweep compare equal. */
const onLattice = (k: number, block: number) => Number((k * block).toPrecision(12));

export const roundUp = (n: number, block: number, min: number) => Math.max(min, onLattice(Math.ceil(n / block - 1e-9), block));

/** The largest multiple of the block at or below max (Infinity stays). */
export const latticeMax = (max: number | undefined, block: number) => (max === undefined || !Number.isFinite(max) ? Infinity : onLattice(Math.floor(max / block + 1e-9), block));

/** N rounded to the block towards more power (up, or down with direction -1), within [min, max]. */
export function snap(n: number, o: SearchOptions): number {
  const d = o.direction ?? 1;
  const k = d === 1 ? Math.ceil(n / o.block - 1e-9) : Math.floor(n / o.block + 1e-9);
  return Math.min(latticeMax(o.max, o.block), Math.max(o.min, onLattice(k, o.block)));
}

/** The fitted curve's power at N. */
export function fittedPower(fit: ProbitFit, n: number): number {
  const z = fit.a + fit.b * Math.log(n);
  return pnorm(z);
}

const p3 = (x: number) => x.toFixed(3);

export function searchStep(points: readonly SearchPoint[], o: SearchOptions): SearchStep {
  const d = o.direction ?? 1;
  const max = latticeMax(o.max, o.block);
  // In the order of rising power: the weakest point first.
  const pts = [...points].sort((x, y) => d * (x.n - y.n));
  const have = new Set(pts.map((p) => p.n));
  const fresh = (ns: number[]) => [...new Set(ns.map((n) => snap(n, o)))].filter((n) => !have.has(n));
  const power = (p: SearchPoint) => p.successes / p.trials;
  const go = (next: number[], fit: ProbitFit | null = null): SearchStep => ({ fit, nFitted: null, nChosen: null, next, done: false, reason: null });
  const stop = (reason: string, fit: ProbitFit | null = null, nFitted: number | null = null): SearchStep => ({ fit, nFitted, nChosen: null, next: [], done: true, reason });
  const weak = pts[0];
  const strong = pts[pts.length - 1];
  if (weak === undefined || strong === undefined) return go([]);
  // Towards less power (halving, or doubling with direction -1) and towards more.
  const weaker = (n: number) => (d === 1 ? n / 2 : n * 2);
  const stronger = (n: number) => (d === 1 ? n * 2 : n / 2);
  const strongEnd = d === 1 ? `the largest value allowed${Number.isFinite(max) ? ` (--max ${max})` : ''}` : `the smallest value allowed (--min ${o.min})`;
  const widen = d === 1 ? 'raise --max' : 'lower --min';
  const short = (p: SearchPoint) => `power ${p3(power(p))} at ${p.n}, ${strongEnd}, is below the target ${o.target}; ${widen}`;
  // Not yet straddling the target: widen the bracket first.
  if (pts.every((p) => power(p) >= o.target)) {
    const next = fresh([weaker(weak.n)]);
    if (next.length > 0) return go(next);
    // The weakest value allowed already reaches the target: it is the answer.
    return { fit: null, nFitted: null, nChosen: weak.n, next: [], done: true, reason: null };
  }
  if (pts.every((p) => power(p) < o.target)) {
    const next = fresh([stronger(strong.n)]);
    if (next.length > 0) return go(next);
    return stop(short(strong));
  }
  const fit = probitFit(pts.map((p) => ({ x: Math.log(p.n), successes: p.successes, trials: p.trials })));
  // A curve clearly going the wrong way (slope over 3 SE; the binomial SE counts the nested points as independent, so it is conservative).
  if (fit && d * fit.b < 0 && Math.abs(fit.b) > 3 * Math.sqrt(fit.vbb)) {
    return stop(`power ${d === 1 ? 'falls' : 'rises'} as the value grows (fitted probit slope ${fit.b.toPrecision(3)} on its log, ${(Math.abs(fit.b) / Math.sqrt(fit.vbb)).toFixed(1)} SE); if ${d === 1 ? 'smaller' : 'larger'} values give more power, give --direction ${d === 1 ? 'decrease' : 'increase'}`, fit);
  }
  if (!fit || !(d * fit.b > 0)) {
    // No curve rising with power yet (too few or too noisy points): simulate between the straddling neighbours.
    // Some point is below the target (not all reached it, above), so `below` exists.
    const i = pts.map(power).findLastIndex((p) => p < o.target);
    const below = pts[i];
    if (below === undefined) return stop('no point below the target power', fit);
    const above = pts.slice(i + 1).find((p) => power(p) >= o.target);
    if (above === undefined) {
      // The strongest point is below the target (a weaker one reached it: noise or no monotone power): look beyond it.
      const next = fresh([stronger(below.n)]);
      return next.length > 0 ? go(next, fit) : stop(short(below), fit);
    }
    const mid = fresh([Math.sqrt(below.n * above.n)]);
    return mid.length > 0 ? go(mid, fit) : stop(`no curve with power rising in the value fits the points; the target is crossed between the adjacent values ${below.n} and ${above.n}`, fit);
  }
  const nFitted = Math.exp((qnorm(o.target) - fit.a) / fit.b);
  // Far outside the simulated range: step towards it (at most doubling or halving) before trusting the extrapolation.
  const ns = pts.map((p) => p.n);
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  const clamped = Math.min(Math.max(nFitted, lo / 2), hi * 2);
  const nChosen = snap(clamped, o);
  const next = fresh([nChosen]);
  const near = (side: -1 | 1) => pts.some((p) => Math.sign(p.n - nChosen) === side && Math.abs(Math.log(p.n / nChosen)) <= Math.log(1.15));
  if (!near(-1)) next.push(...fresh([nChosen * 0.9]).filter((n) => n < nChosen));
  if (!near(1)) next.push(...fresh([nChosen * 1.1]).filter((n) => n > nChosen));
  const bounded = (side: -1 | 1) => pts.some((p) => Math.sign(p.n - nChosen) === side) || nChosen === (side === -1 ? o.min : max);
  const done = next.length === 0 && clamped === nFitted && bounded(-1) && bounded(1);
  const beyond = d === 1 ? nFitted > max : nFitted < o.min;
  if (next.length === 0 && !done) {
    const at = pts.find((p) => p.n === nChosen);
    if (beyond) return stop(`the fitted root ${nFitted.toPrecision(4)} lies beyond ${strongEnd}${at ? ` (power ${p3(power(at))} at ${at.n})` : ''}; ${widen}`, fit, nFitted);
    return stop(`the search cannot place another point near the fitted root ${nFitted.toPrecision(4)} (values are multiples of ${o.block})`, fit, nFitted);
  }
  return { fit, nFitted, nChosen: clamped === nFitted && !beyond ? nChosen : null, next: [...new Set(next)].sort((a, b) => a - b), done, reason: null };
}

/** A fall in simulated power between neighbouring values (in the direction power should rise). */
export interface PowerDrop {
  from: number;
  to: number;
  powerFrom: number;
  powerTo: number;
  /** powerFrom - powerTo, and its MC SE (paired replicates under common random numbers when the decisions are given, else independent). */
  drop: number;
  mcse: number;
}

/** The threshold, in MC SE, above which a fall in power between neighbouring values is reported. */
export const DROP_MCSE = 3;

/**
 * The monotonicity check: neighbouring simulated values (in the direction power should rise)
 * whose power falls by more than DROP_MCSE MC SE. With each point's per-replicate decisions
 * (replicate r at every value shares its twins and streams), the SE is that of the paired
 * difference, sqrt(var(d_r) / R), much smaller than the independent one, so a fall it flags is
 * not common-random-number noise.
 */
export function powerDrops(points: readonly (SearchPoint & { decisions?: Uint8Array })[], direction: 1 | -1 = 1, k = DROP_MCSE): PowerDrop[] {
  const pts = [...points].sort((x, y) => direction * (x.n - y.n));
  const out: PowerDrop[] = [];
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const pa = a.successes / a.trials;
    const pb = b.successes / b.trials;
    let se: number;
    if (a.decisions && b.decisions && a.decisions.length === b.decisions.length && a.decisions.length > 0) {
      const R = a.decisions.length;
      let s = 0;
      let ss = 0;
      for (let r = 0; r < R; r++) {
        const diff = b.decisions[r]! - a.decisions[r]!;
        s += diff;
        ss += diff * diff;
      }
      const m = s / R;
      se = Math.sqrt(Math.max(0, ss / R - m * m) / R);
    } else {
      se = Math.sqrt((pa * (1 - pa)) / a.trials + (pb * (1 - pb)) / b.trials);
    }
    if (pa - pb > k * se && pa > pb) out.push({ from: a.n, to: b.n, powerFrom: pa, powerTo: pb, drop: pa - pb, mcse: se });
  }
  return out;
}

/**
 * The Monte Carlo interval of N*: the power at the chosen N has MC SE `se` (from its replicates
 * alone, R of them); through the fitted slope, that is an SE of se / (phi(z_target) b) on log N,
 * so N* x exp(+-1.96 of it). The fit's own binomial covariance would treat the nested
 * (common-random-number) points as independent and understate the error; this does not.
 */
export function nInterval(fit: ProbitFit, nFitted: number, target: number, se: number): [number, number] {
  const z = qnorm(target);
  const sdLog = se / ((Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * Math.abs(fit.b));
  return [nFitted * Math.exp(-1.959963984540054 * sdLog), nFitted * Math.exp(1.959963984540054 * sdLog)];
}

/**
 * The fixed grid of the non-adaptive search (`--grid`, and every `--shard k/n`): these multiples
 * of the centre (the analytic guess, or the protocol's value), rounded up to the block. A fixed
 * grid lets shards simulate their shares without knowing each other's results.
 */
export const GRID_FACTORS = [0.5, 0.7, 0.85, 1, 1.2, 1.5, 2] as const;

export function fixedGrid(centre: number, block: number, min: number, max?: number, direction: 1 | -1 = 1): number[] {
  return [...new Set(GRID_FACTORS.map((f) => snap(centre * f, { target: 0, block, min, max, direction })))].sort((a, b) => a - b);
}

/** The grid's local window: points within this factor of the first root are refitted alone. */
export const GRID_WINDOW = 1.5;

/**
 * The fit of a fixed grid: probit(power) = a + b log N through every point, then again through
 * the points within a factor 1.5 of that root when there are at least three (probit in log N is
 * a line only near the target: over 0.5x-2x its curvature moves the root by a few per cent); the
 * root rounded up to the block (down with direction -1) when it lies within the grid (no
 * extrapolation: outside it, or without a curve rising with power, nChosen is null and `reason` says why).
 */
export function gridFit(points: readonly SearchPoint[], o: SearchOptions): Pick<SearchStep, 'fit' | 'nFitted' | 'nChosen' | 'reason'> {
  const d = o.direction ?? 1;
  const pts = [...points].sort((x, y) => x.n - y.n);
  const fitOf = (ps: readonly SearchPoint[]) => {
    const fit = ps.length >= 2 ? probitFit(ps.map((p) => ({ x: Math.log(p.n), successes: p.successes, trials: p.trials }))) : null;
    return fit && d * fit.b > 0 ? { fit, root: Math.exp((qnorm(o.target) - fit.a) / fit.b) } : null;
  };
  const all = fitOf(pts);
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (!all || first === undefined || last === undefined) {
    return { fit: null, nFitted: null, nChosen: null, reason: `no probit curve with power ${d === 1 ? 'rising' : 'falling'} in the value fits the grid's points${d === 1 ? ' (if smaller values give more power, give --direction decrease)' : ''}` };
  }
  const near = pts.filter((p) => Math.abs(Math.log(p.n / all.root)) <= Math.log(GRID_WINDOW));
  const { fit, root: nFitted } = (near.length >= 3 ? fitOf(near) : null) ?? all;
  const inside = nFitted >= first.n && nFitted <= last.n;
  return inside
    ? { fit, nFitted, nChosen: snap(nFitted, o), reason: null }
    : { fit, nFitted, nChosen: null, reason: `the fitted root ${nFitted.toPrecision(4)} lies outside the grid (${first.n} to ${last.n}); move the start (--start, or the protocol's value)${Number.isFinite(latticeMax(o.max, o.block)) || o.min > o.block ? ' or the range (--min, --max)' : ''}` };
}
