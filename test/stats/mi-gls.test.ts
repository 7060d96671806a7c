/**
 * The proper parameter draw of multiple imputation: β* | Σ* ~ N(β̂(Σ*), (X'V*⁻¹X)⁻¹). The GLS
 * from the per-pattern sums equals the MMRM fit at its own covariance; the draw is that GLS at
 * the drawn Σ* plus L⁻ᵀz; over many draws β* centres on β̂ with about the fit's covariance.
 */
import { describe, expect, it } from 'vitest';
import { createStream } from '../../src/random/stream.js';
import { glsAt, glsPatterns } from '../../src/stats/mi-gls.js';
import { drawCovariance, drawParameters, normal } from '../../src/stats/mi-impute.js';
import { mmrm, type MmrmResult } from '../../src/stats/mmrm.js';

const V = 3;
const N = 120;
/** 120 subjects, half active; a baseline covariate; monotone dropout and some intermittent gaps. */
function dataset() {
  const src = createStream({ seed: 11, replicate: 0, patient: -1, purpose: 'gls-data' });
  const values = new Float64Array(N * V);
  const treatment = Float64Array.from({ length: N }, (_, i) => (i < N / 2 ? 1 : 0));
  const base = Float64Array.from({ length: N }, () => 10 + 2 * normal(src));
  for (let i = 0; i < N; i++) {
    const shared = normal(src);
    let gone = false;
    for (let j = 0; j < V; j++) {
      const y = 1 + j - treatment[i]! * (0.5 + 0.5 * j) + 0.4 * (base[i]! - 10) + shared + (0.8 + 0.3 * j) * normal(src);
      if (j > 0 && src() < 0.1) gone = true;
      values[i * V + j] = gone || (j === 1 && i % 9 === 4) ? NaN : y;
    }
  }
  return { values, treatment, base };
}

function fitOf(d: ReturnType<typeof dataset>): MmrmResult {
  const subject: number[] = [];
  const visit: number[] = [];
  const y: number[] = [];
  const trt: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < N; i++)
    for (let j = 0; j < V; j++) {
      const v = d.values[i * V + j]!;
      if (Number.isNaN(v)) continue;
      subject.push(i);
      visit.push(j);
      y.push(v);
      trt.push(d.treatment[i]!);
      b.push(d.base[i]!);
    }
  const fit = mmrm({ subject: Int32Array.from(subject), visit: Int32Array.from(visit), y: Float64Array.from(y), treatment: Float64Array.from(trt), nSubjects: N, nVisits: V, covariates: [{ name: 'BASE', values: Float64Array.from(b), byVisit: true }] });
  if (!('coefficients' in fit)) throw new Error('fit failed');
  return fit;
}

describe('the GLS at a given covariance (mi-gls)', () => {
  const d = dataset();
  const fit = fitOf(d);
  const centred = [Float64Array.from(d.base, (x) => x - fit.covariateMeans.BASE!)];
  const patterns = glsPatterns(d.values, d.treatment, centred, V);
  const p = fit.nCoef;

  it('at the fitted Σ̂ it is the MMRM fit: β̂ and (X\u2032V̂⁻¹X)⁻¹', () => {
    expect(patterns.p).toBe(p);
    // Monotone dropout and a gap at visit 2: several patterns.
    expect(patterns.patterns.length).toBeGreaterThanOrEqual(4);
    const g = glsAt(patterns, fit.covariance);
    for (let j = 0; j < p; j++) expect(g.beta[j]).toBeCloseTo(fit.coefficients[j]!, 9);
    // information × the fit's coefficient covariance = I.
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += g.information[i * p + k]! * fit.coefficientCovariance[k * p + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 8);
      }
  });

  it('the draw: Σ* from the inverse-Wishart, then β̂(Σ*) + L*⁻ᵀz from the same stream', () => {
    const model = { nVisits: V, covariance: fit.covariance, nSubjects: fit.nSubjects, patterns };
    const drawn = drawParameters(model, createStream({ seed: 3, replicate: 1, patient: -1, purpose: 'draw' }));
    const src = createStream({ seed: 3, replicate: 1, patient: -1, purpose: 'draw' });
    const sigma = drawCovariance(fit.covariance, V, fit.nSubjects, src);
    expect(drawn.sigma).toEqual(sigma);
    const g = glsAt(patterns, sigma);
    const z = Array.from({ length: p }, () => normal(src));
    // Lᵀ (β* − β̂(Σ*)) = z.
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let t = i; t < p; t++) s += g.factor[t * p + i]! * (drawn.beta[t]! - g.beta[t]!);
      expect(s).toBeCloseTo(z[i]!, 9);
    }
    // β̂(Σ*) differs from β̂: the mean moves with the drawn covariance.
    expect(Math.max(...g.beta.map((b, j) => Math.abs(b - fit.coefficients[j]!)))).toBeGreaterThan(1e-4);
  });

  it('over many draws β* has mean β̂ and about the fit\u2019s covariance (plus the small spread of β̂(Σ*))', () => {
    const model = { nVisits: V, covariance: fit.covariance, nSubjects: fit.nSubjects, patterns };
    const src = createStream({ seed: 5, replicate: 0, patient: -1, purpose: 'moments' });
    const R = 4000;
    const sum = new Float64Array(p);
    const sq = new Float64Array(p);
    for (let r = 0; r < R; r++) {
      const { beta } = drawParameters(model, src);
      for (let j = 0; j < p; j++) {
        sum[j] = sum[j]! + beta[j]!;
        sq[j] = sq[j]! + beta[j]! ** 2;
      }
    }
    for (let j = 0; j < p; j++) {
      const v = fit.coefficientCovariance[j * p + j]!;
      const mean = sum[j]! / R;
      const variance = sq[j]! / R - mean * mean;
      expect(Math.abs(mean - fit.coefficients[j]!)).toBeLessThan(4 * Math.sqrt(v / R));
      // Var(β*) = E[(X'V*⁻¹X)⁻¹] + Var(β̂(Σ*)) >= roughly Var(β̂); within 4 SE of a variance above, 20% at most above.
      expect(variance).toBeGreaterThan(v * (1 - 4 * Math.sqrt(2 / R)));
      expect(variance).toBeLessThan(1.2 * v);
    }
  });
});
