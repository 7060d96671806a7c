/**
 * linearModel's in-place Householder QR (typed-array workspace reused across calls) equals the
 * ml-matrix QR it replaced, kept here as the reference, bit for bit on random designs; and reusing
 * the workspace across calls of any size and order changes nothing.
 */
import { inverse, Matrix, QrDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { ancova } from '../../src/stats/ancova.js';
import { linearModel } from '../../src/stats/linear-model.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}

/** The previous implementation: ml-matrix QR of the centred design, coefficients and their SEs. */
function referenceFit(y: number[], covariates: Record<string, number[]>) {
  const names = Object.keys(covariates);
  const n = y.length;
  const p = names.length + 1;
  const means = names.map((k) => covariates[k]!.reduce((s, v) => s + v, 0) / n);
  const X = new Matrix(n, p);
  for (let i = 0; i < n; i++) {
    X.set(i, 0, 1);
    names.forEach((k, j) => X.set(i, j + 1, covariates[k]![i]! - means[j]!));
  }
  const qr = new QrDecomposition(X);
  const beta = qr.solve(Matrix.columnVector([...y])).getColumn(0);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let j = 0; j < p; j++) fit += X.get(i, j) * beta[j]!;
    rss += (y[i]! - fit) ** 2;
  }
  const sigma2 = rss / (n - p);
  const Rinv = inverse(qr.upperTriangularMatrix.subMatrix(0, p - 1, 0, p - 1));
  const unscaled = Rinv.mmul(Rinv.transpose());
  const a = [1, ...means.map((m) => -m)];
  let b0 = 0;
  let v0 = 0;
  for (let j = 0; j < p; j++) {
    b0 += a[j]! * beta[j]!;
    for (let k = 0; k < p; k++) v0 += a[j]! * a[k]! * unscaled.get(j, k);
  }
  const coefficients: Record<string, [number, number]> = Object.fromEntries(names.map((k, j) => [k, [beta[j + 1]!, Math.sqrt(sigma2 * unscaled.get(j + 1, j + 1))]]));
  coefficients['(Intercept)'] = [b0, Math.sqrt(sigma2 * v0)];
  return { coefficients, residualSd: Math.sqrt(sigma2) };
}

function design(seed: number, n: number, p: number) {
  const u = rng(seed);
  const covariates: Record<string, number[]> = {};
  for (let j = 0; j < p; j++) covariates[`x${j}`] = Array.from({ length: n }, () => (j === 0 ? (u() < 0.5 ? 1 : 0) : 50 + 20 * u()));
  const y = Array.from({ length: n }, (_, i) => 3 + Object.values(covariates).reduce((s, c, j) => s + (j + 1) * 0.3 * c[i]!, 0) + 2 * (u() - 0.5));
  return { y, covariates };
}

// Bit for bit: the same operations in the same order (replicate outputs stay byte-identical).
const close = (a: number, b: number, what: string) => expect(a, what).toBe(b);

describe('linearModel equals the ml-matrix QR it replaced, bit for bit', () => {
  it.each([1, 2, 3, 4, 5, 6].flatMap((seed) => [1, 2, 4].map((p) => ({ seed, p }))))('seed $seed, $p covariates', ({ seed, p }) => {
    const { y, covariates } = design(seed, 20 + 37 * seed, p);
    const fit = linearModel(y, covariates);
    const ref = referenceFit(y, covariates);
    close(fit.residualSd, ref.residualSd, 'residual SD');
    for (const [k, [est, se]] of Object.entries(ref.coefficients)) {
      close(fit.coefficients[k]!.estimate, est, `${k} estimate`);
      close(fit.coefficients[k]!.se, se, `${k} se`);
    }
  });
  it('an aliased covariate is dropped and the rest equals the fit without it', () => {
    const { y, covariates } = design(7, 60, 2);
    const fit = linearModel(y, { ...covariates, twice: covariates.x1!.map((v) => 2 * v) });
    expect(fit.aliased).toEqual(['twice']);
    expect(fit.coefficients.twice!.estimate).toBeNaN();
    const ref = referenceFit(y, covariates);
    close(fit.coefficients.x1!.estimate, ref.coefficients.x1![0], 'x1');
  });
  it('reusing the workspace: large, small and back give identical results', () => {
    const sets = [design(21, 400, 4), design(22, 12, 1), design(23, 90, 2)];
    const run = () => sets.map((d) => [linearModel(d.y, d.covariates), ancova(d.y, d.covariates.x0!, {})]);
    const first = run();
    const second = [...sets].reverse().map((d) => [linearModel(d.y, d.covariates), ancova(d.y, d.covariates.x0!, {})]).reverse();
    expect(second).toEqual(first);
    expect(run()).toEqual(first);
  });
});
