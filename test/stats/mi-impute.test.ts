import { describe, expect, it } from 'vitest';
import { createStream } from '../../src/random/stream.js';
import { drawCovariance, imputeOnce, imputeWith, type ImputationModel, type ImputationParameters, type ImputationStrategy } from '../../src/stats/mi-impute.js';
import { glsPatterns } from '../../src/stats/mi-gls.js';

// Four visits, one covariate (BASE, centred): β = visit intercepts (control), treatment × visit, BASE × visit.
const V = 4;
const beta = Float64Array.from([-1, -2, -3, -4, -0.5, -1.5, -2.5, -3.5, 0.2, 0.3, 0.4, 0.5]);
const sigma = Float64Array.from([4, 2, 1.5, 1, 2, 5, 2.5, 2, 1.5, 2.5, 6, 3, 1, 2, 3, 7]);
/** Parameters held at given values: the conditional draws alone (imputeWith). */
const fixed: ImputationParameters = { sigma, beta };
const mu = (a: number, j: number, x: number) => beta[j]! + a * beta[V + j]! + beta[2 * V + j]! * x;

/** Many imputations of one subject: the mean and covariance of its imputed values at visits 2 and 3. */
function moments(values: number[], active: number, x: number, strategy: ImputationStrategy, draws: number) {
  const data = { values: Float64Array.from(values), treatment: Float64Array.from([active]), centred: [Float64Array.from([x])] };
  const out = new Float64Array(V);
  const src = createStream({ seed: 1, replicate: 0, patient: -1, purpose: 'test' });
  let s2 = 0, s3 = 0, s22 = 0, s33 = 0, s23 = 0;
  for (let k = 0; k < draws; k++) {
    imputeWith(fixed, V, data, strategy, 0, src, out);
    s2 += out[2]!; s3 += out[3]!; s22 += out[2]! ** 2; s33 += out[3]! ** 2; s23 += out[2]! * out[3]!;
  }
  const m2 = s2 / draws, m3 = s3 / draws;
  return { m2, m3, v22: s22 / draws - m2 * m2, v33: s33 / draws - m3 * m3, v23: s23 / draws - m2 * m3 };
}

// The conditional normal of visits 2, 3 given 0, 1, written out: Σ_OO⁻¹ of [[4,2],[2,5]] is [[5,-2],[-2,4]]/16.
const soInv = [[5 / 16, -2 / 16], [-2 / 16, 4 / 16]];
const smo = [[1.5, 2.5], [1, 2]]; // rows: visits 2, 3; columns: visits 0, 1
const k = smo.map((row) => [row[0]! * soInv[0]![0]! + row[1]! * soInv[1]![0]!, row[0]! * soInv[0]![1]! + row[1]! * soInv[1]![1]!]);
const condCov = (a: number, b: number) => sigma[(a + 2) * V + b + 2]! - (k[a]![0]! * smo[b]![0]! + k[a]![1]! * smo[b]![1]!);

describe('multiple imputation: conditional draws', () => {
  const draws = 40000;
  const se = (v: number) => 4 * Math.sqrt(v / draws);

  it('MAR: the mean and covariance of many imputations are the conditional normal of the own arm', () => {
    const y = [1, -3];
    const x = 0.7;
    const r = moments([y[0]!, y[1]!, NaN, NaN], 1, x, 'mar', draws);
    const res = [y[0]! - mu(1, 0, x), y[1]! - mu(1, 1, x)];
    const e2 = mu(1, 2, x) + k[0]![0]! * res[0]! + k[0]![1]! * res[1]!;
    const e3 = mu(1, 3, x) + k[1]![0]! * res[0]! + k[1]![1]! * res[1]!;
    expect(Math.abs(r.m2 - e2)).toBeLessThan(se(condCov(0, 0)));
    expect(Math.abs(r.m3 - e3)).toBeLessThan(se(condCov(1, 1)));
    // Within 4 SE of a sample (co)variance of normals: sqrt((s_aa s_bb + s_ab²) / n).
    const seCov = (a: number, b: number) => 4 * Math.sqrt((condCov(a, a) * condCov(b, b) + condCov(a, b) ** 2) / draws);
    expect(Math.abs(r.v22 - condCov(0, 0))).toBeLessThan(seCov(0, 0));
    expect(Math.abs(r.v33 - condCov(1, 1))).toBeLessThan(seCov(1, 1));
    expect(Math.abs(r.v23 - condCov(0, 1))).toBeLessThan(seCov(0, 1));
    expect(condCov(0, 1)).toBeGreaterThan(1); // a real correlation is being checked
  });

  it("jump to reference: an active subject on its own mean at the observed visits is imputed at the reference's mean profile", () => {
    const x = -0.4;
    const r = moments([mu(1, 0, x), mu(1, 1, x), NaN, NaN], 1, x, 'jump_to_reference', draws);
    expect(Math.abs(r.m2 - mu(0, 2, x))).toBeLessThan(se(condCov(0, 0)));
    expect(Math.abs(r.m3 - mu(0, 3, x))).toBeLessThan(se(condCov(1, 1)));
    // The active arm's profile differs by 2.5 and 3.5 there: the draws are clearly the reference's.
    expect(Math.abs(r.m3 - mu(1, 3, x))).toBeGreaterThan(3);
  });

  it('copy increments in reference: the last own mean plus the reference increments', () => {
    const x = 0;
    const r = moments([mu(1, 0, x), mu(1, 1, x), NaN, NaN], 1, x, 'copy_increments_in_reference', draws);
    expect(Math.abs(r.m2 - (mu(1, 1, x) + mu(0, 2, x) - mu(0, 1, x)))).toBeLessThan(se(condCov(0, 0)));
    expect(Math.abs(r.m3 - (mu(1, 1, x) + mu(0, 3, x) - mu(0, 1, x)))).toBeLessThan(se(condCov(1, 1)));
  });

  it('copy reference: the reference profile throughout, conditional on the residuals from it', () => {
    const x = 0;
    const y = [mu(1, 0, x), mu(1, 1, x)];
    const r = moments([y[0]!, y[1]!, NaN, NaN], 1, x, 'copy_reference', draws);
    const res = [y[0]! - mu(0, 0, x), y[1]! - mu(0, 1, x)];
    expect(Math.abs(r.m2 - (mu(0, 2, x) + k[0]![0]! * res[0]! + k[0]![1]! * res[1]!))).toBeLessThan(se(condCov(0, 0)));
  });

  it('reference-arm subjects are imputed under MAR whatever the strategy; delta shifts only the active arm', () => {
    const data = { values: Float64Array.from([0, NaN, NaN, NaN, 0, NaN, NaN, NaN]), treatment: Float64Array.from([1, 0]), centred: [new Float64Array(2)] };
    const a = new Float64Array(8);
    const b = new Float64Array(8);
    imputeWith(fixed, V, data, 'jump_to_reference', 0, createStream({ seed: 3, replicate: 0, patient: -1, purpose: 'x' }), a);
    imputeWith(fixed, V, data, 'jump_to_reference', 5, createStream({ seed: 3, replicate: 0, patient: -1, purpose: 'x' }), b);
    for (let j = 1; j < 4; j++) {
      expect(b[j]! - a[j]!).toBeCloseTo(5, 12);
      expect(b[4 + j]).toBe(a[4 + j]);
    }
    expect(b[0]).toBe(0);
  });

  it('is deterministic with a fixed source, and keeps observed values', () => {
    // 40 subjects, 20 per arm, every fourth leaving after visit 2; the two of interest first.
    const values = new Float64Array(40 * V);
    const src = createStream({ seed: 4, replicate: 0, patient: -1, purpose: 'data' });
    for (let i = 0; i < 40; i++) for (let j = 0; j < V; j++) values[i * V + j] = i % 4 === 3 && j >= 2 ? NaN : j + (i < 20 ? -1 : 0) + 2 * src();
    values.set([1, 2, NaN, NaN], 0);
    values.set([3, NaN, 5, NaN], 4 * V);
    const treatment = Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? 1 : 0));
    const centred = [Float64Array.from({ length: 40 }, (_, i) => ((i * 7) % 11) / 10 - 0.5)];
    const model: ImputationModel = { nVisits: V, covariance: sigma, nSubjects: 40, patterns: glsPatterns(values, treatment, centred, V) };
    const data = { values, treatment, centred };
    const run = () => {
      const out = new Float64Array(40 * V);
      imputeOnce(model, data, 'mar', 0, createStream({ seed: 9, replicate: 2, patient: -1, purpose: 'imputation/0' }), out);
      return out;
    };
    const first = run();
    expect(run()).toEqual(first);
    expect([first[0], first[1], first[4 * V], first[4 * V + 2]]).toEqual([1, 2, 3, 5]);
    expect(first.every(Number.isFinite)).toBe(true);
  });

  it('draws Σ* with mean Σ̂ (the scaled inverse-Wishart)', () => {
    const src = createStream({ seed: 5, replicate: 0, patient: -1, purpose: 'iw' });
    const sum = new Float64Array(16);
    const n = 20000;
    for (let i = 0; i < n; i++) drawCovariance(sigma, V, 60, src).forEach((v, j) => (sum[j] = sum[j]! + v));
    for (let j = 0; j < 16; j++) expect(sum[j]! / n).toBeCloseTo(sigma[j]!, 1);
  });
});
