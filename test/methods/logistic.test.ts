/** The logistic entry of the analysis-method registry: its estimate on R's reference data, and its truth. */
import { describe, expect, it } from 'vitest';
import { analysisMethod } from '../../src/methods/registry.js';
import type { Comparison, Estimate } from '../../src/methods/method.js';
import type { AnalysisItem } from '../../src/spec/analysis-schema.js';
import { dataset, expectR, R } from '../stats/reference.js';

const d = dataset('binary_cov');
// Active subjects first, then placebo: the layout efficacy hands every method.
const rows = [...d.filter((r) => r.ARM === 'ACTIVE'), ...d.filter((r) => r.ARM === 'PLACEBO')];
const col = (f: (r: Record<string, string>) => number) => Float64Array.from(rows, f);
const comparison: Comparison = {
  nArm: 150,
  nControl: 150,
  value: col((r) => Number(r.RESP)),
  time: new Float64Array(300).fill(NaN),
  event: new Float64Array(300).fill(NaN),
  treatment: col((r) => (r.ARM === 'ACTIVE' ? 1 : 0)),
  covariates: { AGE: col((r) => Number(r.AGE)), BASE: col((r) => Number(r.BASE)) },
};
const item = (over: Partial<AnalysisItem> = {}): AnalysisItem => ({ endpoint: 'RESP', method: 'logistic', covariates: ['AGE', 'BASE'], strata: [], missing: 'exclude', ties: 'efron', ...over });
const L = R.logistic;
const method = analysisMethod('logistic');

describe('method logistic', () => {
  it('is a responder method on the ratio scale that takes covariates', () => {
    expect([method.endpoint, method.scale, method.adjusts, method.measure]).toEqual(['responder', 'ratio', true, 'odds ratio (adjusted)']);
  });
  it("estimates R's glm odds ratio of TRT with the Wald CI, z and p", () => {
    const r = method.compare(comparison, item(), 0.95) as Estimate;
    expectR(r.estimate, L.odds_ratio, 'odds ratio');
    expectR(r.se!, L.se, 'se of the log odds ratio');
    expectR(r.ci[0], L.wald_ci_or[0], 'lower');
    expectR(r.ci[1], L.wald_ci_or[1], 'upper');
    expectR(r.statistic!, L.z, 'z');
    expectR(r.p!, L.p, 'p');
    expect(r.armSummary).toBe(L.responders.ACTIVE / 150);
    expect(r.controlSummary).toBe(L.responders.PLACEBO / 150);
  });
  it('ci: profile gives the profile-likelihood interval of the odds ratio', () => {
    const r = method.compare(comparison, item({ ci: 'profile' }), 0.95) as Estimate;
    expectR(r.ci[0], L.profile_ci_or_exact[0], 'profile lower');
    expectR(r.ci[1], L.profile_ci_or_exact[1], 'profile upper');
    expectR(r.estimate, L.odds_ratio, 'odds ratio');
  });
  it('its truth is 1 when both arms have the same counterfactual responses, and the 2x2 odds ratio without covariates', () => {
    const y = Float64Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const age = Float64Array.from({ length: 40 }, (_, i) => 40 + i);
    const same = method.truth({ arm: y, control: y, durationDays: 1, covariate: () => age, strata: () => new Int32Array(0) }, item({ covariates: ['AGE'] }));
    expect(same).toBeCloseTo(1, 10);
    const ya = Float64Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : 0)); // 20 of 40
    const plain = method.truth({ arm: ya, control: y, durationDays: 1, covariate: () => age, strata: () => new Int32Array(0) }, item({ covariates: [] }));
    const [pa, pc] = [20 / 40, 14 / 40];
    expect(plain).toBeCloseTo(pa / (1 - pa) / (pc / (1 - pc)), 10);
  });
});
