import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/run-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { simulateTrial } from '../../src/trial/simulate-trial.js';
import { prognosticScores } from '../../src/twins/prognostic.js';
import { twinPrognosticScore } from '../../src/twins/prognostic-score.js';
import { tempDir } from '../helpers.js';

const R = 400;
async function oc(kind: string) {
  const r = await replicatesCommand({ protocolFile: `test/fixtures/protocols/procova-${kind}.yaml`, seed: 8, replicates: R, workers: 2, keepPatients: 0, out: join(tempDir(), kind), force: false });
  const get = (scenario: string, covariates: string) => r.summary!.scenarios.find((s) => s.name === scenario)!.operatingCharacteristics.find((x) => x.covariates === covariates)!;
  return { unadj: get('base', ''), adj: get('base', 'PROG'), nullUnadj: get('null', ''), nullAdj: get('null', 'PROG'), vr: r.summary!.scenarios[0]!.varianceReduction, rho: r.summary!.scenarios[0]!.trial.meanPrognosticCorrelation };
}
const mcse = (p: number) => Math.sqrt((p * (1 - p)) / R);

describe('prognostic covariate adjustment (PROCOVA)', () => {
  it('uninformative covariates: the score carries no information and power is unchanged', async () => {
    const o = await oc('uninformative');
    // The twin score is the same for everyone: aliased, so the adjusted analysis is the unadjusted one.
    expect(o.adj.power).toBe(o.unadj.power);
    expect(Math.abs(o.adj.power - o.unadj.power)).toBeLessThan(2 * mcse(o.unadj.power));
    expect(o.adj.meanSe).toBeCloseTo(o.unadj.meanSe!, 12);
  });

  it('informative covariates: the SE shrinks by about sqrt(1 - rho^2), power rises, type I error stays at alpha', async () => {
    const o = await oc('informative');
    // rho^2 = var(mu) / var(Y) = 1 / (1 + 0.25 + 0.25) = 2/3.
    const ratio = o.adj.meanSe! / o.unadj.meanSe!;
    expect(Math.abs(ratio - Math.sqrt(1 / 3))).toBeLessThan(0.03);
    expect(o.vr[0]!.vsUnadjusted).toBeCloseTo(ratio ** 2, 12);
    // Mean correlation between score and observed control outcome: about sqrt(2/3) = 0.816.
    expect(Math.abs(o.rho! - Math.sqrt(2 / 3))).toBeLessThan(0.03);
    expect(o.adj.power - o.unadj.power).toBeGreaterThan(5 * mcse(0.5));
    for (const x of [o.nullUnadj, o.nullAdj]) expect(Math.abs(x.power - 0.05)).toBeLessThan(3 * mcse(0.05));
    for (const x of [o.unadj, o.adj]) expect(Math.abs(x.coverage! - 0.95)).toBeLessThan(3 * mcse(0.95));
  });

  it('run reports the score, its correlation with the observed control outcome, and the variance reduction', async () => {
    const r = await runCommand({ protocolFile: 'test/fixtures/protocols/procova-informative.yaml', seed: 2, out: join(tempDir(), 'one'), force: false });
    expect(r.prognostic!.method).toBe('twin expectation, closed form');
    expect(r.prognostic!.correlation!).toBeGreaterThan(0.6);
    expect(r.prognostic!.correlation!).toBeLessThan(0.95);
    const vr = r.varianceReduction[0]!;
    expect(vr.analysis).toBe('ancova(PROG)');
    expect(vr.vsUnadjusted!).toBeLessThan(0.6);
    expect(vr.vsBaselineOnly).toBeNull();
  });
});

describe('twin prognostic score', () => {
  const p = loadProtocol('test/fixtures/protocols/procova-informative.yaml');
  const model = p.trial!;
  const trial = simulateTrial(p.cohort.model, p.criteria, model, { seed: 5, replicate: 0, target: 100, maxScreened: 2000, keepScreened: false });

  it('the Monte Carlo expectation agrees with the closed form (within 4 MC SEs)', () => {
    for (const t of trial.enrolled.slice(0, 5)) {
      const exact = twinPrognosticScore(model, t.row, t.patient, { endpoint: 'Y', draws: 0, seed: 5, replicate: 0 });
      const mc = twinPrognosticScore(model, t.row, t.patient, { endpoint: 'Y', draws: 2000, seed: 5, replicate: 0, forceMonteCarlo: true });
      const sd = Math.sqrt(0.25 + 0.25);
      expect(Math.abs(mc - exact)).toBeLessThan((4 * sd) / Math.sqrt(2000));
      expect(exact).toBe(t.row.y0);
    }
  });
  it("no leak: shuffling the patients' random effects and outcomes does not change their scores", () => {
    const before = prognosticScores(p.prognostic!, model, trial, 5);
    const outcomes = trial.enrolled.map((t) => t.outcomes);
    const shuffled = { ...trial, enrolled: trial.enrolled.map((t, i) => ({ ...t, outcomes: outcomes[(i * 37 + 11) % outcomes.length]! })) };
    expect(prognosticScores(p.prognostic!, model, shuffled, 5)).toEqual(before);
    // ...and the scores differ from the outcomes they predict (they are predictions, not copies).
    const control = trial.enrolled.filter((t) => t.arm === 0);
    expect(control.some((t) => Math.abs(before.get(t.patient)! - t.outcomes[0]!.endpointValues[0]!) > 0.1)).toBe(true);
  });
});
