import { describe, expect, it } from 'vitest';
import { effectSpreads } from '../../src/twins/effect-spread.js';
import type { TrialModel } from '../../src/trial/trial-model.js';
import type { TrialResult } from '../../src/trial/simulate-trial.js';

/** A model and trial with what effectSpreads reads: arms, endpoints, and each enrolled twin's endpoint values per arm. */
const model = {
  arms: [{ id: 'pbo', role: 'control' }, { id: 'low', role: 'active' }, { id: 'high', role: 'active' }],
  endpoints: [{ id: 'Y', kind: 'continuous' }, { id: 'OS', kind: 'time_to_event' }],
} as unknown as TrialModel;
// Per twin, per arm (pbo, low, high): [Y, OS latent day].
const values = [
  [[1, 100], [0.5, 150], [0, 300]],
  [[2, 200], [1, 220], [1.5, 400]],
  [[0, 50], [-1, 90], [-0.5, 100]],
];
const trial = { enrolled: values.map((arms) => ({ outcomes: arms.map((v) => ({ endpointValues: v })) })) } as unknown as TrialResult;

describe('effectSpreads', () => {
  it('per endpoint asked for and active arm: n, mean and SD (n - 1) of arm minus control; log time ratio for time to event', () => {
    const s = effectSpreads(model, trial, ['Y', 'OS', 'Y']);
    expect(s.map((x) => `${x.endpoint} ${x.arm} vs ${x.control} ${x.scale} ${x.n}`)).toEqual(['Y low vs pbo difference 3', 'Y high vs pbo difference 3', 'OS low vs pbo log_time_ratio 3', 'OS high vs pbo log_time_ratio 3']);
    // Y, low: differences -0.5, -1, -1: mean -5/6, SD sqrt(((1/3)^2 + 2 (1/6)^2) / 2) = sqrt(1/12).
    expect(s[0]!.mean).toBeCloseTo(-5 / 6, 14);
    expect(s[0]!.sd).toBeCloseTo(Math.sqrt(1 / 12), 14);
    // OS, high: log(3), log(2), log(2).
    const d = [Math.log(3), Math.log(2), Math.log(2)];
    const m = (d[0]! + d[1]! + d[2]!) / 3;
    expect(s[3]!.mean).toBeCloseTo(m, 14);
    expect(s[3]!.sd).toBeCloseTo(Math.sqrt(d.reduce((a, v) => a + (v - m) ** 2, 0) / 2), 14);
  });
  it('nothing without a control arm; an SD needs two twins', () => {
    expect(effectSpreads({ ...model, arms: [{ id: 'a', role: 'active' }] } as unknown as TrialModel, trial, ['Y'])).toEqual([]);
    const one = { enrolled: trial.enrolled.slice(0, 1) } as unknown as TrialResult;
    expect(effectSpreads(model, one, ['Y'])[0]).toMatchObject({ n: 1, mean: -0.5, sd: null });
  });
});
