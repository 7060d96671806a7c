/**
 * One step of the simulated sample-size search (vtrial sample-size PROTOCOL): from the points
 * simulated so far (N, replicates meeting the success criterion), fit probit(power) = a + b log N
 * (probit-fit.ts), solve for the N* that reaches the target power, and say which N to simulate
 * next: N* rounded up to the block, and a neighbour on each side (about 10% away) while no
 * simulated point lies within 15% on that side; when the points do not yet straddle the target
 * (all above or all below), the bracket is widened by halving or doubling. The search is done when
 * the rounded N* has been simulated and the points straddle it.
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
  /** The values N must be a multiple of (the randomisation block for enrolment.target; 1 otherwise). */
  block: number;
  /** Smallest N allowed (at least one block). */
  min: number;
}

export interface SearchStep {
  fit: ProbitFit | null;
  /** The root of the fitted curve (not rounded), and it rounded up to the block. */
  nFitted: number | null;
  nChosen: number | null;
  next: number[];
  done: boolean;
}

export const roundUp = (n: number, block: number, min: number) => Math.max(min, Math.ceil(n / block - 1e-9) * block);

/** The fitted curve's power at N. */
export function fittedPower(fit: ProbitFit, n: number): number {
  const z = fit.a + fit.b * Math.log(n);
  return pnorm(z);
}

export function searchStep(points: readonly SearchPoint[], o: SearchOptions): SearchStep {
  const pts = [...points].sort((x, y) => x.n - y.n);
  const have = new Set(pts.map((p) => p.n));
  const fresh = (ns: number[]) => [...new Set(ns.map((n) => roundUp(n, o.block, o.min)))].filter((n) => !have.has(n));
  const power = (p: SearchPoint) => p.successes / p.trials;
  if (pts.length === 0) return { fit: null, nFitted: null, nChosen: null, next: [], done: false };
  const lo = pts[0]!;
  const hi = pts[pts.length - 1]!;
  // Not yet straddling the target: widen the bracket first.
  if (pts.every((p) => power(p) >= o.target) && lo.n > o.min) return { fit: null, nFitted: null, nChosen: null, next: fresh([lo.n / 2]), done: false };
  if (pts.every((p) => power(p) < o.target)) return { fit: null, nFitted: null, nChosen: null, next: fresh([hi.n * 2]), done: false };
  const fit = probitFit(pts.map((p) => ({ x: Math.log(p.n), successes: p.successes, trials: p.trials })));
  if (!fit || !(fit.b > 0)) {
    // No increasing curve yet (too few or too noisy points): simulate between the straddling neighbours.
    const below = pts.filter((p) => power(p) < o.target).pop()!;
    const above = pts.find((p) => p.n > below.n && power(p) >= o.target) ?? hi;
    const mid = fresh([Math.sqrt(below.n * above.n)]);
    return { fit, nFitted: null, nChosen: null, next: mid, done: mid.length === 0 };
  }
  const nFitted = Math.exp((qnorm(o.target) - fit.a) / fit.b);
  // Far outside the simulated range: step towards it (at most doubling or halving) before trusting the extrapolation.
  const clamped = Math.min(Math.max(nFitted, lo.n / 2), hi.n * 2);
  const nChosen = roundUp(clamped, o.block, o.min);
  const next = fresh([nChosen]);
  const near = (side: -1 | 1) => pts.some((p) => Math.sign(p.n - nChosen) === side && Math.abs(Math.log(p.n / nChosen)) <= Math.log(1.15));
  if (!near(-1) && nChosen > o.min) next.push(...fresh([nChosen * 0.9]).filter((n) => n < nChosen));
  if (!near(1)) next.push(...fresh([nChosen * 1.1]).filter((n) => n > nChosen));
  const straddled = pts.some((p) => p.n < nChosen) && pts.some((p) => p.n > nChosen);
  return { fit, nFitted, nChosen: clamped === nFitted ? nChosen : null, next: [...new Set(next)].sort((a, b) => a - b), done: next.length === 0 && clamped === nFitted && (straddled || nChosen === o.min) };
}

/**
 * The Monte Carlo interval of N*: the power at the chosen N has MC SE `se` (from its replicates
 * alone, R of them); through the fitted slope, that is an SE of se / (phi(z_target) b) on log N,
 * so N* x exp(+-1.96 of it). The fit's own binomial covariance would treat the nested
 * (common-random-number) points as independent and understate the error; this does not.
 */
export function nInterval(fit: ProbitFit, nFitted: number, target: number, se: number): [number, number] {
  const z = qnorm(target);
  const sdLog = se / ((Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * fit.b);
  return [nFitted * Math.exp(-1.959963984540054 * sdLog), nFitted * Math.exp(1.959963984540054 * sdLog)];
}

/**
 * The fixed grid of the non-adaptive search (`--grid`, and every `--shard k/n`): these multiples
 * of the centre (the analytic guess, or the protocol's value), rounded up to the block. A fixed
 * grid lets shards simulate their shares without knowing each other's results.
 */
export const GRID_FACTORS = [0.5, 0.7, 0.85, 1, 1.2, 1.5, 2] as const;

export function fixedGrid(centre: number, block: number, min: number): number[] {
  return [...new Set(GRID_FACTORS.map((f) => roundUp(centre * f, block, min)))].sort((a, b) => a - b);
}

/** The grid's local window: points within this factor of the first root are refitted alone. */
export const GRID_WINDOW = 1.5;

/**
 * The fit of a fixed grid: probit(power) = a + b log N through every point, then again through
 * the points within a factor 1.5 of that root when there are at least three (probit in log N is
 * a line only near the target: over 0.5x-2x its curvature moves the root by a few per cent); the
 * root rounded up to the block when it lies within the grid (no extrapolation: outside it, or
 * without an increasing curve, nChosen is null).
 */
export function gridFit(points: readonly SearchPoint[], o: SearchOptions): Pick<SearchStep, 'fit' | 'nFitted' | 'nChosen'> {
  const pts = [...points].sort((x, y) => x.n - y.n);
  const fitOf = (ps: readonly SearchPoint[]) => {
    const fit = ps.length >= 2 ? probitFit(ps.map((p) => ({ x: Math.log(p.n), successes: p.successes, trials: p.trials }))) : null;
    return fit && fit.b > 0 ? { fit, root: Math.exp((qnorm(o.target) - fit.a) / fit.b) } : null;
  };
  const all = fitOf(pts);
  if (!all) return { fit: null, nFitted: null, nChosen: null };
  const near = pts.filter((p) => Math.abs(Math.log(p.n / all.root)) <= Math.log(GRID_WINDOW));
  const { fit, root: nFitted } = (near.length >= 3 ? fitOf(near) : null) ?? all;
  const inside = nFitted >= pts[0]!.n && nFitted <= pts[pts.length - 1]!.n;
  return { fit, nFitted, nChosen: inside ? roundUp(nFitted, o.block, o.min) : null };
}
