/**
 * The columnar source (trial-source.ts) hands a value the analysis would reject back to the ADaM
 * path (NotColumnar), which names the file, row and column; on regular data it yields the same
 * columns as the ADaM records of the same trial.
 */
import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/io/load-specs.js';
import { simulateTrial } from '../../src/trial/simulate-trial.js';
import { simulatedAdam } from '../../src/analysis/simulated-adam.js';
import { NotColumnar, trialSource } from '../../src/analysis/trial-source.js';
import { adamSource } from '../../src/analysis/adam-source.js';
import { analyseTrial } from '../../src/analysis/analyse-trial.js';
import type { AnalysisItem } from '../../src/spec/analysis-schema.js';

function simulated() {
  const p = loadProtocol('protocols/t2d-weekly-injectable.yaml');
  const model = p.trial!;
  const trial = simulateTrial(p.cohort.model, p.criteria, model, { seed: 5, replicate: 0, target: 60, maxScreened: 2000, keepScreened: false });
  return { p, model, trial, names: new Set(p.cohort.model.columns.map((c) => c.name)) };
}

const item = (over: Partial<AnalysisItem>): AnalysisItem => ({ endpoint: 'HBA1C_CHG', method: 'ancova', covariates: ['BASE', 'age'], strata: [], missing: 'exclude', ties: 'efron', ...over });

describe('trialSource', () => {
  it('gives the columns the ADaM records of the same trial give, for each endpoint and population', () => {
    const { p, model, trial, names } = simulated();
    const fromTrial = trialSource(model, trial, names);
    const fromAdam = adamSource(model, simulatedAdam(p.cohort.model, p.criteria, model, trial, { concentrations: false }).data);
    for (const e of model.endpoints) {
      for (const population of ['randomised', 'completers'] as const) {
        for (const missing of ['exclude', 'non_responder'] as const) {
          const it0 = item({ endpoint: e.id, covariates: e.kind === 'continuous' ? ['BASE', 'age'] : [], missing });
          const a = fromTrial.sample(e, it0, population);
          const b = fromAdam.sample(e, it0, population);
          expect(a.n).toBe(b.n);
          expect([...a.arm]).toEqual([...b.arm]);
          expect([...a.value]).toEqual([...b.value]);
          expect(a.covariates.map((c) => [...c])).toEqual(b.covariates.map((c) => [...c]));
        }
      }
      for (let arm = 0; arm < model.arms.length; arm++) expect([...fromTrial.counterfactual(e, arm)!]).toEqual([...fromAdam.counterfactual(e, arm)!]);
    }
    const e0 = model.endpoints[0]!;
    expect([...fromTrial.counterfactualCovariate('age', e0)]).toEqual([...fromAdam.counterfactualCovariate('age', e0)]);
    expect([...fromTrial.counterfactualCovariate('BASE', e0)]).toEqual([...fromAdam.counterfactualCovariate('BASE', e0)]);
  });

  it('a covariate that is not a finite number is NotColumnar; the ADaM path names its file, row and column', () => {
    const { p, model, trial, names } = simulated();
    trial.enrolled[3]!.row.age = Number.NaN;
    const e = model.endpoints[0]!;
    expect(() => trialSource(model, trial, names).sample(e, item({}), 'randomised')).toThrow(NotColumnar);
    const data = simulatedAdam(p.cohort.model, p.criteria, model, trial, { concentrations: false }).data;
    expect(() => analyseTrial(model, { ...p.spec.analysis!, primary: [item({})], secondary: [] }, data)).toThrow(/adsl\.csv: row 4 \(USUBJID "R1-\d{6}"\), column age: an analysis covariate must be a finite number/);
  });

  it('a covariate the cohort does not have is NotColumnar (the ADaM path says it is not a column of ADSL)', () => {
    const { model, trial, names } = simulated();
    expect(() => trialSource(model, trial, names).sample(model.endpoints[0]!, item({ covariates: ['height_cm'] }), 'randomised')).toThrow(NotColumnar);
  });
});
