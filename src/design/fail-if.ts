/**
 * `--fail-if EXPR` for pipelines: a condition in vtrial's expression language (the one of
 * enrolment criteria) evaluated for every primary analysis (each comparison) of every compared
 * protocol, on the protocol as written (scenario "base"). Where it holds, the command exits 4 and
 * says which protocol and analysis. A variable that is NA for an analysis (no null scenario for
 * type1, no truth for bias) makes the condition hold: a gate that cannot be checked does not pass.
 */
import { compilePredicate, type Row, type Scope, type ValueType } from '../expr/compile.js';
import { identifiersOf, parseExpression } from '../expr/parse.js';
import { analysisKeys, type ComparedProtocol } from './compare-protocols.js';

/** The variables a condition may use, with what each is. */
export const FAIL_IF_VARIABLES: Readonly<Record<string, string>> = {
  power: 'rejection rate of the analysis in scenario base (with interim looks, for the first primary analysis: the group-sequential design\'s rejection at any look)',
  type1: "rejection rate of the same analysis in the protocol's null scenario (no_effect: true; the first if several; with interim looks as for power)",
  bias: 'mean estimate minus the true effect (log scale for ratios), scenario base',
  rmse: 'root mean squared error against the true effect (log scale for ratios)',
  coverage: 'share of CIs covering the true effect',
  mean_estimate: 'mean estimate (geometric for ratios)',
  true_effect: 'the true effect',
  screened: 'mean twins screened per trial',
  enrolled: 'mean patients enrolled per trial',
  screen_failure: 'screen-failure rate',
  dropout: 'dropout rate',
};

export interface FailIfHit {
  protocol: string;
  analysis: string;
  /** The variables' values (null: NA). */
  values: Record<string, number | null>;
  /** Why the condition counts as holding when a variable is NA. */
  na?: string;
}

export interface FailIf {
  text: string;
  variables: string[];
  hits(protocols: readonly ComparedProtocol[]): FailIfHit[];
}

const NUMBER: ValueType = { kind: 'number' };

/** Parses and type-checks the condition (a usage error before anything runs); ExprError on a bad one. */
export function compileFailIf(text: string): FailIf {
  const scope: Scope = new Map(Object.keys(FAIL_IF_VARIABLES).map((k) => [k, NUMBER]));
  const predicate = compilePredicate(text, scope);
  const variables = [...identifiersOf(parseExpression(text))].filter((v) => v in FAIL_IF_VARIABLES).sort();
  return {
    text,
    variables,
    hits(protocols) {
      const out: FailIfHit[] = [];
      for (const p of protocols) {
        const base = p.summary.scenarios.find((x) => x.name === 'base');
        if (!base) continue;
        const nul = p.summary.scenarios.find((x) => p.nullScenarios.has(x.name));
        const t = base.trial;
        // The same analysis in the null scenario: matched as compare matches rows (role, endpoint,
        // method, covariates, comparison and occurrence), so two analyses of one endpoint stay apart.
        const baseKeys = analysisKeys('', base.operatingCharacteristics);
        const nullRows = new Map(nul ? analysisKeys('', nul.operatingCharacteristics).map((k, i) => [k, nul.operatingCharacteristics[i]!] as const) : []);
        // With interim looks the first primary analysis is the group-sequential design's test: its
        // power and type I error are the design's (rejection at any look), not the study end's alone.
        const firstPrimary = base.operatingCharacteristics.findIndex((r) => r.role === 'primary');
        for (const [i, r] of base.operatingCharacteristics.entries()) {
          if (r.role !== 'primary') continue;
          const nullRow = nullRows.get(baseKeys[i]!);
          const sequential = i === firstPrimary && base.sequential !== undefined;
          const all: Record<string, number | null> = {
            power: sequential ? base.sequential!.overallReject : r.power,
            type1: sequential ? (nul?.sequential?.overallReject ?? null) : nullRow ? nullRow.power : null,
            bias: r.bias,
            rmse: r.rmse,
            coverage: r.coverage,
            mean_estimate: r.meanEstimate,
            true_effect: r.trueEffect,
            screened: t.meanScreened,
            enrolled: t.meanEnrolled,
            screen_failure: t.screenFailureRate,
            dropout: t.dropoutRate,
          };
          const values = Object.fromEntries(variables.map((v) => [v, all[v]!]));
          const analysis = `${r.endpoint} ${r.method}${r.covariates ? `(${r.covariates})` : ''} ${r.arm}${r.control ? ` vs ${r.control}` : ''}`;
          const missing = variables.filter((v) => values[v] === null);
          if (missing.length) out.push({ protocol: p.label, analysis, values, na: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} NA` });
          else if (predicate(values as Row)) out.push({ protocol: p.label, analysis, values });
        }
      }
      return out;
    },
  };
}
