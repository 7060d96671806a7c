/**
 * Probit regression of binomial counts on one covariate, P(success) = Phi(a + b x), by maximum
 * likelihood (Fisher scoring, as R's glm(cbind(s, n - s) ~ x, binomial(link = "probit"))). The
 * sample-size search fits it to power against log N: the power curve of a test is close to a
 * probit line in log N (exactly so for a z test), so a few simulated points place the root well.
 */
import { pnorm, qnorm } from '../stats/distributions.js';

const dnorm = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

export interface BinomialPoint {
  x: number;
  successes: number;
  trials: number;
}

export interface ProbitFit {
  a: number;
  b: number;
  /** Inverse Fisher information at the estimate: var(a), cov(a, b), var(b). */
  vaa: number;
  vab: number;
  vbb: number;
  iterations: number;
  converged: boolean;
}

const clampP = (p: number) => Math.min(1 - 1e-12, Math.max(1e-12, p));

/** Maximum-likelihood probit fit; null when the data cannot fix a line (fewer than 2 distinct x, or no spread in the outcomes). */
export function probitFit(points: readonly BinomialPoint[], maxIterations = 50): ProbitFit | null {
  const xs = new Set(points.filter((p) => p.trials > 0).map((p) => p.x));
  if (xs.size < 2) return null;
  const s = points.reduce((t, p) => t + p.successes, 0);
  const n = points.reduce((t, p) => t + p.trials, 0);
  if (s === 0 || s === n) return null;
  // Start from the weighted least-squares line through the empirical probits (as glm's mustart).
  let a = 0;
  let b = 0;
  {
    let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const p of points) {
      if (p.trials === 0) continue;
      const y = qnorm((p.successes + 0.5) / (p.trials + 1));
      sw += p.trials; sx += p.trials * p.x; sy += p.trials * y; sxx += p.trials * p.x * p.x; sxy += p.trials * p.x * y;
    }
    const den = sw * sxx - sx * sx;
    b = den > 0 ? (sw * sxy - sx * sy) / den : 0;
    a = (sy - b * sx) / sw;
  }
  let converged = false;
  let it = 0;
  let info = [0, 0, 0];
  let dev = deviance(points, a, b);
  for (; it < maxIterations; it++) {
    // Fisher scoring: score U and information I of (a, b).
    let u0 = 0, u1 = 0, i00 = 0, i01 = 0, i11 = 0;
    for (const p of points) {
      if (p.trials === 0) continue;
      const eta = a + b * p.x;
      const mu = clampP(pnorm(eta));
      const d = dnorm(eta);
      const w = (p.trials * d * d) / (mu * (1 - mu));
      const r = ((p.successes - p.trials * mu) * d) / (mu * (1 - mu));
      u0 += r; u1 += r * p.x;
      i00 += w; i01 += w * p.x; i11 += w * p.x * p.x;
    }
    const det = i00 * i11 - i01 * i01;
    if (!(det > 0)) return null;
    info = [i00, i01, i11];
    let da = (i11 * u0 - i01 * u1) / det;
    let db = (i00 * u1 - i01 * u0) / det;
    // Step halving keeps the deviance from rising (far starts, nearly separated data).
    let next = deviance(points, a + da, b + db);
    for (let h = 0; h < 30 && !(next <= dev + 1e-12); h++) {
      da /= 2; db /= 2;
      next = deviance(points, a + da, b + db);
    }
    a += da; b += db;
    const change = Math.abs(next - dev);
    dev = next;
    if (change < 1e-10 * (Math.abs(dev) + 0.1)) {
      converged = true;
      it++;
      break;
    }
  }
  // Covariance at the final estimate.
  {
    let i00 = 0, i01 = 0, i11 = 0;
    for (const p of points) {
      if (p.trials === 0) continue;
      const eta = a + b * p.x;
      const mu = clampP(pnorm(eta));
      const d = dnorm(eta);
      const w = (p.trials * d * d) / (mu * (1 - mu));
      i00 += w; i01 += w * p.x; i11 += w * p.x * p.x;
    }
    info = [i00, i01, i11];
  }
  const det = info[0]! * info[2]! - info[1]! * info[1]!;
  if (!(det > 0) || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  return { a, b, vaa: info[2]! / det, vab: -info[1]! / det, vbb: info[0]! / det, iterations: it, converged };
}

/** Binomial deviance of the line (up to a constant). */
function deviance(points: readonly BinomialPoint[], a: number, b: number): number {
  let d = 0;
  for (const p of points) {
    if (p.trials === 0) continue;
    const mu = clampP(pnorm(a + b * p.x));
    d -= 2 * (p.successes * Math.log(mu) + (p.trials - p.successes) * Math.log(1 - mu));
  }
  return d;
}
