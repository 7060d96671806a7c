/**
 * --fail-if's type1 is the rejection rate of the same analysis in the null scenario, matched as
 * compare matches rows: two primary analyses of one endpoint by one method (say at two alphas)
 * each get their own.
 */
import { describe, expect, it } from 'vitest';
import { compileFailIf } from '../../src/design/fail-if.js';
import type { ComparedProtocol } from '../../src/design/compare-protocols.js';

const oc = (scenario: string, power: number) => ({ scenario, endpoint: 'Y', role: 'primary', method: 'pooled_t_test', covariates: '', measure: 'difference in means', arm: 'active', control: 'control', power, bias: 0, rmse: 0.1, coverage: 0.95, meanEstimate: 0.5, trueEffect: 0.5 });
const trial = { meanScreened: 70, meanEnrolled: 64, screenFailureRate: 0.1, dropoutRate: 0 };

describe('compileFailIf', () => {
  it('matches each primary analysis with its own null-scenario row, occurrence by occurrence', () => {
    const p = {
      label: 'p',
      nullScenarios: new Set(['null']),
      summary: {
        scenarios: [
          { name: 'base', trial, operatingCharacteristics: [oc('base', 0.9), oc('base', 0.7)] },
          { name: 'null', trial, operatingCharacteristics: [oc('null', 0.05), oc('null', 0.01)] },
        ],
      },
    } as unknown as ComparedProtocol;
    const hits = compileFailIf('type1 >= 0').hits([p]);
    expect(hits.map((h) => h.values)).toEqual([{ type1: 0.05 }, { type1: 0.01 }]);
    expect(compileFailIf('type1 > 0.02').hits([p]).map((h) => h.values)).toEqual([{ type1: 0.05 }]);
  });
});
