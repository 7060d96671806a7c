import { loadProtocol } from '../../src/io/load-specs.js';
import { simulateTrial, type TrialResult } from '../../src/trial/simulate-trial.js';
import type { TrialModel } from '../../src/trial/trial-model.js';

export function runFixture(name: string, seed = 1, replicate = 0): { model: TrialModel; trial: TrialResult } {
  const p = loadProtocol(`test/fixtures/protocols/${name}.yaml`);
  const model = p.trial!;
  const trial = simulateTrial(p.cohort.model, p.criteria, model, { seed, replicate, target: p.spec.enrolment.target, maxScreened: p.spec.enrolment.max_screened, keepScreened: false });
  return { model, trial };
}
