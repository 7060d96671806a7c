/** Closed-form sample sizes against R (the reference's sample_size section). */
import { describe, it } from 'vitest';
import { schoenfeldEvents } from '../../src/stats/schoenfeld-events.js';
import { sampleSizeRates } from '../../src/stats/sample-size-rates.js';
import { expectR, R } from './reference.js';

describe('analytic sample sizes', () => {
  it("Schoenfeld's events, 1:1 and with an allocation ratio (and rpact's eventsFixed)", () => {
    const x = R.sample_size.schoenfeld;
    const i = x.inputs;
    expectR(schoenfeldEvents({ hazardRatio: i.hazardRatio, alpha: i.alpha_two_sided, power: i.power }), x.events_1to1, '1:1');
    expectR(schoenfeldEvents({ hazardRatio: i.hazardRatio, alpha: i.alpha_two_sided, power: i.power }), x.rpact_events_1to1, 'rpact 1:1');
    expectR(schoenfeldEvents({ hazardRatio: i.hazardRatio, alpha: i.alpha_two_sided, power: i.power, allocation: i.allocation_active_to_control }), x.events_allocation, 'allocation');
  });
  it('two proportions (rpact getSampleSizeRates, normal approximation)', () => {
    const x = R.sample_size.rates;
    const i = x.inputs;
    const r = sampleSizeRates({ pi1: i.pi1, pi2: i.pi2, alpha: i.alpha, sided: i.sided, beta: i.beta, allocation: i.allocationRatioPlanned });
    expectR(r.nFixed, x.nFixed, 'n');
    expectR(r.nFixed1, x.nFixed1, 'n1');
    expectR(r.nFixed2, x.nFixed2, 'n2');
  });
});
