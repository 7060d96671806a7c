import { describe, expect, it } from 'vitest';
import { criterionLabel, succeeded, successes, type SuccessCriterion } from '../../src/design/sample-size-criterion.js';
import type { ReplicateEfficacy, ReplicateRecord } from '../../src/replicates/replicate.js';

const row = (endpoint: string, role: 'primary' | 'secondary', reject: boolean, method = 'pooled_t_test'): ReplicateEfficacy => ({
  endpoint, role, method, covariates: '', measure: 'difference in means', arm: 'active', control: 'control', eventsArm: null, eventsControl: null,
  estimate: 1, se: 1, lower: 0, upper: 2, p: reject ? 0.01 : 0.2, pAdjusted: reject ? 0.02 : 0.4, reject, trueEffect: 1,
});
const record = (scenario: string, efficacy: ReplicateEfficacy[], seqReject?: boolean): ReplicateRecord => ({
  scenario, replicate: 1, screened: 10, eligible: 10, enrolled: 10, dropouts: 0, patientVisits: 10, prognosticCorrelation: null, efficacy, adverseEvents: [],
  ...(seqReject === undefined ? {} : { sequential: { stopLook: 1, decision: seqReject ? 'efficacy' : 'final', reject: seqReject, rejectIgnoringFutility: seqReject, day: 1, patients: 10, information: 10, estimate: 1, trueEffect: 1, lookDay: new Float64Array(1), lookFraction: new Float64Array(1), lookZ: new Float64Array(1), lookCritical: new Float64Array(1) } }),
});

describe('sample-size success criteria', () => {
  // One primary rejects (after the plan's adjustment, as efficacy.ts sets reject), the other not; a secondary rejects.
  const mixed = record('base', [row('A', 'primary', true), row('B', 'primary', false), row('C', 'secondary', true)]);
  const both = record('base', [row('A', 'primary', true), row('B', 'primary', true), row('C', 'secondary', false)]);
  const none = record('base', [row('A', 'primary', false), row('B', 'primary', false), row('C', 'secondary', true)]);

  it('all-primary needs every primary rejected; plan needs one; an analysis needs its own rows', () => {
    const all: SuccessCriterion = { kind: 'all-primary' };
    const plan: SuccessCriterion = { kind: 'plan' };
    expect([mixed, both, none].map((r) => succeeded(r, all))).toEqual([false, true, false]);
    expect([mixed, both, none].map((r) => succeeded(r, plan))).toEqual([true, true, false]);
    expect([mixed, both, none].map((r) => succeeded(r, { kind: 'analysis', endpoint: 'C' }))).toEqual([true, false, true]);
    expect(() => succeeded(mixed, { kind: 'analysis', endpoint: 'A', method: 'ancova' })).toThrow('no such analysis');
  });

  it('counts one scenario only, and refuses what the records cannot answer', () => {
    const rs = [mixed, both, none, record('null', [row('A', 'primary', true), row('B', 'primary', true)])];
    expect(successes(rs, 'base', { kind: 'plan' })).toEqual({ successes: 2, trials: 3, decisions: Uint8Array.from([1, 1, 0]) });
    expect(successes(rs, 'null', { kind: 'all-primary' })).toEqual({ successes: 1, trials: 1, decisions: Uint8Array.from([1]) });
    expect(() => succeeded(mixed, { kind: 'sequential' })).toThrow('no sequential outcome');
    expect(() => succeeded(mixed, { kind: 'analysis', endpoint: 'Z' })).toThrow('--analysis Z');
  });

  it('sequential: the group-sequential rejection, whatever the study end analysis says', () => {
    expect(succeeded(record('base', [row('A', 'primary', false)], true), { kind: 'sequential' })).toBe(true);
    expect(succeeded(record('base', [row('A', 'primary', true)], false), { kind: 'sequential' })).toBe(false);
    expect(criterionLabel({ kind: 'plan' })).toContain('multiplicity');
  });
});
