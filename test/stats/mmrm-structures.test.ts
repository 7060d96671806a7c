import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimated } from '../../src/stats/not-estimable.js';
import { mmrm, type MmrmData } from '../../src/stats/mmrm.js';
import { ancova } from '../../src/stats/ancova.js';
import { covarianceStructure, COVARIANCE_STRUCTURES } from '../../src/stats/mmrm-covariance.js';
import { dataset, expectAllR, expectR } from './reference.js';

// nlme's fits of the structured covariances (generate.R in the same folder produced them; see its README).
const E = JSON.parse(readFileSync(new URL('../fixtures/mmrm-structures/expected.json', import.meta.url), 'utf8'));
const VISITS = ['Week 4', 'Week 8', 'Week 12', 'Week 16'];

function longitudinal(): MmrmData {
  const rows = dataset('longitudinal');
  const ids = new Map<string, number>();
  for (const r of rows) if (!ids.has(r.USUBJID!)) ids.set(r.USUBJID!, ids.size);
  return {
    subject: Int32Array.from(rows, (r) => ids.get(r.USUBJID!)!),
    visit: Int32Array.from(rows, (r) => VISITS.indexOf(r.AVISIT!)),
    y: Float64Array.from(rows, (r) => Number(r.CHG)),
    treatment: Float64Array.from(rows, (r) => (r.ARM === 'ACTIVE' ? 1 : 0)),
    nSubjects: ids.size,
    nVisits: 4,
    covariates: [{ name: 'BASE', values: Float64Array.from(rows, (r) => Number(r.BASE)), byVisit: true }],
  };
}

describe('MMRM with structured covariances matches nlme::gls (REML) on longitudinal.csv, and Satterthwaite df computed in R', () => {
  for (const structure of ['compound_symmetry', 'ar1', 'toeplitz'] as const) {
    it(structure, () => {
      const e = E[structure];
      const r = estimated(mmrm(longitudinal(), { covariance: structure }));
      expectAllR(r.visits.map((v) => v.estimate), e.estimate, 'estimate');
      expectAllR(r.visits.map((v) => v.se), e.se, 'se');
      // Satterthwaite df from generate.R's independent finite-difference implementation (accurate to ~3e-7).
      expectAllR(r.visits.map((v) => v.df), e.df, 'df');
      expectR(r.logLik, e.reml_loglik, 'REML logLik');
      // Ours is the optimum: never below nlme's log-likelihood (nlminb stops ~1e-6 short in the Toeplitz covariance).
      expect(r.logLik).toBeGreaterThanOrEqual(e.reml_loglik - 1e-9);
      r.covariance.forEach((c, i) => expect(Math.abs(c - e.covariance[i]) / Math.abs(e.covariance[i]), `covariance[${i}]`).toBeLessThan(2e-6));
    });
  }
});

describe('covariance structures: properties', () => {
  it('their analytic Jacobians equal central differences of Σ(θ), and the unstructured pullback equals the Jacobian contraction', () => {
    for (const s of COVARIANCE_STRUCTURES) {
      for (const V of [1, 2, 4, 5]) {
        const c = covarianceStructure(s, V);
        const theta = Float64Array.from({ length: c.nTheta }, (_, i) => 0.3 - 0.17 * i);
        const jac = new Float64Array(c.nTheta * V * V);
        c.sigma(theta, new Float64Array(V * V), jac);
        const sp = new Float64Array(V * V);
        const sm = new Float64Array(V * V);
        for (let m = 0; m < c.nTheta; m++) {
          const t = Float64Array.from(theta);
          t[m] = t[m]! + 1e-6;
          c.sigma(t, sp);
          t[m] = t[m]! - 2e-6;
          c.sigma(t, sm);
          for (let j = 0; j < V * V; j++) expect(Math.abs(jac[m * V * V + j]! - (sp[j]! - sm[j]!) / 2e-6), `${s} V=${V} θ${m} [${j}]`).toBeLessThan(1e-8);
        }
        if (c.pullback) {
          // The pullback of a symmetric d equals its contraction with the Jacobian.
          const d = Float64Array.from({ length: V * V }, (_, t) => Math.sin(Math.floor(t / V) + (t % V)) + 0.1 * Math.floor(t / V) * (t % V));
          c.sigma(theta, new Float64Array(V * V));
          const out = new Float64Array(c.nTheta);
          c.pullback(d, out);
          for (let m = 0; m < c.nTheta; m++) {
            let e = 0;
            for (let j = 0; j < V * V; j++) e += d[j]! * jac[m * V * V + j]!;
            expect(Math.abs(out[m]! - e), `${s} V=${V} pullback θ${m}`).toBeLessThan(1e-12 * Math.max(1, Math.abs(e)));
          }
        }
      }
    }
  });
  it('Toeplitz: partial autocorrelations give the AR(1) correlation when only the first is non-zero', () => {
    const c = covarianceStructure('toeplitz', 4);
    const out = new Float64Array(16);
    c.sigma(Float64Array.of(Math.log(2), Math.atanh(0.6), 0, 0), out);
    expect([...out.subarray(0, 4)].map((x) => +x.toFixed(12))).toEqual([2, 1.2, 0.72, 0.432]);
  });
  it('every structure with one visit is ANCOVA: lm estimate and SE, df = n - p exactly', () => {
    const d = longitudinal();
    const keep = [...d.visit.keys()].filter((i) => d.visit[i] === 3);
    const pick = <T extends Float64Array | Int32Array>(a: T) => a.filter((_, j) => keep.includes(j)) as T;
    const y = pick(d.y);
    const trt = pick(d.treatment);
    const base = pick(d.covariates![0]!.values);
    const lm = estimated(ancova(y, trt, { BASE: base }));
    for (const covariance of COVARIANCE_STRUCTURES) {
      const r = estimated(mmrm({ subject: Int32Array.from(keep, (_, j) => j), visit: new Int32Array(keep.length), y, treatment: trt, nSubjects: keep.length, nVisits: 1, covariates: [{ name: 'BASE', values: base, byVisit: true }] }, { covariance }));
      expectR(r.visits[0]!.estimate, lm.estimate, 'estimate');
      expectR(r.visits[0]!.se, lm.se, 'se');
      expectR(r.visits[0]!.df, lm.df, 'df');
      expectR(r.visits[0]!.p, lm.p, 'p');
    }
  });
  it('scaling the response scales estimates and SEs and leaves the df unchanged', () => {
    const d = longitudinal();
    for (const covariance of COVARIANCE_STRUCTURES) {
      const a = estimated(mmrm(d, { covariance }));
      const b = estimated(mmrm({ ...d, y: d.y.map((v) => 10 * v + 3) }, { covariance }));
      a.visits.forEach((v, i) => {
        expectR(b.visits[i]!.estimate, 10 * v.estimate, `${covariance} estimate`);
        expectR(b.visits[i]!.se, 10 * v.se, `${covariance} se`);
        expectR(b.visits[i]!.df, v.df, `${covariance} df`);
      });
    }
  });
});
