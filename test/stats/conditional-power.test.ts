/**
 * Conditional-power futility (README "Interim analyses"): conditional power and the z bound a
 * threshold implies, against rpact 3.3.4's getConditionalPower at the last interim look
 * (test/fixtures/r-extra/group-sequential-extra.R), the binding fixed point, the design drift the
 * protocol's futility block gives, and its spec errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conditionalPower, conditionalPowerBound } from '../../src/stats/conditional-power.js';
import { groupSequentialDesign, type DesignType } from '../../src/stats/group-sequential.js';
import { futilityBoundAt } from '../../src/stats/sequential-boundary.js';
import { conditionalPowerFutility } from '../../src/trial/compile-interim.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { REPO } from '../adversarial/harness.js';
import { calendarProtocol, problems } from '../trial/accrual-helpers.js';

const X = JSON.parse(readFileSync(join(REPO, 'test/fixtures/r-extra/group-sequential-extra.json'), 'utf8'));
type Case = { typeOfDesign: DesignType; kMax: number; alpha: number; informationRates: number[]; finalCritical: number; events: number | number[]; z: number | number[]; remaining: number; hazardRatio: number; cpDesign: number; cpTrend: number; threshold: number; boundDesign: number; boundTrend: number };
const cases = X.conditional_power as Record<string, Case>;
const last = (x: number | number[]) => (Array.isArray(x) ? x[x.length - 1]! : x);
const close = (ours: number, r: number, what: string) => expect(Math.abs(ours - r), `${what}: ${ours} vs rpact ${r}`).toBeLessThan(1e-6);

describe('conditional power against rpact (last interim look, log-rank, 1:1)', () => {
  it.each(['of3', 'p2', 'hsd4'])('%s: CP under the design hazard ratio and the trend, and the z bound of the threshold', (key) => {
    const c = cases[key]!;
    const design = groupSequentialDesign({ typeOfDesign: c.typeOfDesign, kMax: c.kMax, alpha: c.alpha, sided: 1, informationRates: c.informationRates, ...(c.typeOfDesign === 'asHSD' ? { gammaA: -2 } : {}) });
    const cK = design.criticalValues[c.kMax - 1]!;
    close(cK, c.finalCritical, 'c_K');
    const events = last(c.events);
    const D = events + c.remaining;
    const t = events / D;
    // Schoenfeld's drift at the planned events: -ln(HR) sqrt(D / 4).
    const theta = -Math.log(c.hazardRatio) * Math.sqrt(D / 4);
    close(conditionalPower(last(c.z), t, cK, theta), c.cpDesign, 'CP design');
    close(conditionalPower(last(c.z), t, cK, null), c.cpTrend, 'CP trend');
    close(conditionalPowerBound(c.threshold, t, cK, theta), c.boundDesign, 'bound design');
    close(conditionalPowerBound(c.threshold, t, cK, null), c.boundTrend, 'bound trend');
    // The bound is where CP crosses the threshold: below it CP is lower.
    expect(conditionalPower(c.boundTrend - 0.01, t, cK, null)).toBeLessThan(c.threshold);
    expect(conditionalPower(c.boundTrend + 0.01, t, cK, null)).toBeGreaterThan(c.threshold);
  });

  it("binding: the bound and the final critical value are each other's fixed point (rpact: the bound whose own binding design gives CP = threshold)", () => {
    const c = X.conditional_power.of2_binding_trend;
    const r = conditionalPowerFutility({ type: 'asOF', alpha: 0.025, sided: 1, futility: null, binding: true }, [0.5, 1], 0.1, null);
    if (typeof r === 'string') throw new Error(r);
    close(r.bounds[0]!, c.bound, 'bound');
    close(r.finalCritical, c.finalCritical, 'c_K');
    // Non-binding: c_K is the design's without futility (1.97737).
    const nb = conditionalPowerFutility({ type: 'asOF', alpha: 0.025, sided: 1, futility: null, binding: false }, [0.5, 1], 0.1, null);
    if (typeof nb === 'string') throw new Error(nb);
    expect(nb.finalCritical).toBeCloseTo(groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 2, alpha: 0.025, sided: 1 }).criticalValues[1]!, 12);
    expect(nb.bounds[0]!).toBeGreaterThan(r.bounds[0]!);
  });
});

const plan = (primary: string, futility: string, looks = '[ { events: 10 }, { information: 0.6 } ]') => `analysis:\n  sided: one\n  alpha: 0.025\n  primary: [ ${primary} ]\n  interim: { looks: ${looks}, futility: ${futility} }`;
const os = '{ endpoint: OS, method: logrank, direction: decrease }';
const chg = '{ endpoint: chg, method: welch_t_test, direction: decrease }';

describe('conditional-power futility in the protocol', () => {
  it('under: design with a hazard ratio: the drift is -ln(HR) sqrt(D r (1 - r)); the z bounds at the planned rates, and at observed rates', () => {
    const file = calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ events: 30, endpoint: OS }', extra: plan(os, '{ conditional_power: 0.1, under: design, hazard_ratio: 0.7 }') });
    const d = loadProtocol(file).trial!.interim!.design;
    const theta = -Math.log(0.7) * Math.sqrt(30 / 4);
    expect(d.conditionalPower!.theta).toBeCloseTo(theta, 14);
    const cK = groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 3, alpha: 0.025, sided: 1, informationRates: [10 / 30, 0.6, 1] }).criticalValues[2]!;
    expect(d.conditionalPower!.finalCritical).toBe(cK);
    expect(d.futility).toEqual([conditionalPowerBound(0.1, 10 / 30, cK, theta), conditionalPowerBound(0.1, 0.6, cK, theta)]);
    // At an observed rate the bound moves with it; a z-bound design keeps its bounds.
    expect(futilityBoundAt(d, 1, 0.62)).toBe(conditionalPowerBound(0.1, 0.62, cK, theta));
    expect(futilityBoundAt({ ...d, conditionalPower: undefined }, 1, 0.62)).toBe(d.futility![1]);
  });

  it('under: design for a continuous primary: effect and sd; trend needs no effect', () => {
    const file = calendarProtocol({ accrual: '{ duration_months: 3 }', extra: plan(chg, '{ conditional_power: 0.2, under: design, effect: -0.3, sd: 0.6, binding: true }', '[ { information: 0.5 } ]') });
    const d = loadProtocol(file).trial!.interim!.design;
    expect(d.conditionalPower!.theta).toBeCloseTo((0.3 * Math.sqrt(40 * 0.25)) / 0.6, 14);
    expect(d.binding).toBe(true);
    const trend = loadProtocol(calendarProtocol({ accrual: '{ duration_months: 3 }', extra: plan(chg, '{ conditional_power: 0.2 }', '[ { information: 0.5 } ]') })).trial!.interim!.design;
    expect(trend.conditionalPower!.theta).toBeNull();
    expect(trend.futility![0]).toBeCloseTo(conditionalPowerBound(0.2, 0.5, trend.conditionalPower!.finalCritical, null), 14);
  });

  it('spec errors: threshold outside (0, 1), both or neither of bounds and conditional_power, design without its effect, calendar-day looks, stray keys', () => {
    const p = (primary: string, futility: string, looks?: string, studyEnd = '{ events: 30, endpoint: OS }') => problems(calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd, extra: plan(primary, futility, looks) }));
    expect(p(os, '{ conditional_power: 1.2 }')).toEqual(['analysis.interim.futility.conditional_power: 1.2 is not a conditional power threshold: it must lie in (0, 1), e.g. 0.1']);
    expect(p(os, '{ conditional_power: 0.1, bounds: [0, 0] }')).toEqual(['analysis.interim.futility: expected either bounds (z scale, one per interim look) or conditional_power (a threshold in (0, 1)), not both or neither']);
    expect(p(os, '{ binding: true }')).toEqual(['analysis.interim.futility: expected either bounds (z scale, one per interim look) or conditional_power (a threshold in (0, 1)), not both or neither']);
    expect(p(os, '{ conditional_power: 0.1, under: design }')).toEqual(['analysis.interim.futility: under: design needs the design effect: hazard_ratio (e.g. hazard_ratio: 0.75)']);
    expect(p(os, '{ conditional_power: 0.1, under: design, effect: 1, hazard_ratio: 0.8 }')).toEqual(['analysis.interim.futility: the primary endpoint is time to event: give the design effect as hazard_ratio (not effect and sd)']);
    expect(p(os, '{ conditional_power: 0.1, hazard_ratio: 0.8 }')).toEqual(['analysis.interim.futility.hazard_ratio: is the design effect of conditional_power futility under: design (set under: design, or remove it)']);
    expect(p(os, '{ bounds: [0, 0], under: trend }')).toEqual(['analysis.interim.futility.under: applies to conditional_power futility only']);
    expect(p(chg, '{ conditional_power: 0.1, under: design, effect: -0.3 }', '[ { information: 0.5 } ]', '{ calendar_day: 400 }')).toEqual(['analysis.interim.futility: under: design needs the design effect: effect (active minus control) and sd (e.g. effect: -0.5, sd: 1.2)']);
    expect(p(chg, '{ conditional_power: 0.1 }', '[ { calendar_day: 100 } ]', '{ calendar_day: 400 }')).toEqual(['analysis.interim.futility.conditional_power: turns into z bounds at planned information rates: look by information or events (not calendar_day)']);
    expect(p(os, '{ conditional_power: 0.97, binding: true }')).toEqual([expect.stringMatching(/^analysis\.interim\.futility\.conditional_power: a threshold of 0\.97 implies z bounds the design cannot take \(.*\): lower the threshold$/)]);
  });
});
