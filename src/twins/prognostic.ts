/** The prognostic score of a protocol, ready to compute per trial (twin or historical model). */
import { sampleCorrelation } from 'simple-statistics';
import type { TrialResult } from '../trial/simulate-trial.js';
import type { TrialModel } from '../trial/trial-model.js';
import { predictHistorical, type HistoricalFit } from './historical-model.js';
import { hasClosedForm, twinPrognosticScore } from './prognostic-score.js';

export interface PrognosticRuntime {
  endpoint: string;
  method: 'twin' | 'historical';
  draws: number;
  fit?: HistoricalFit;
}

export function describeMethod(p: PrognosticRuntime, model: TrialModel): string {
  if (p.method === 'historical') {
    const aliased = p.fit!.aliased.length ? `; ${p.fit!.aliased.join(', ')} dropped: constant or collinear in the historical data (R's lm reports NA)` : '';
    return `linear model on historical controls (n = ${p.fit!.n}, R^2 = ${p.fit!.rSquared.toFixed(3)}${aliased})`;
  }
  return hasClosedForm(model) ? 'twin expectation, closed form' : `twin expectation, Monte Carlo over ${p.draws} draws`;
}

/** Scores of the enrolled twins and of any external control twins, by patient index. */
export function prognosticScores(p: PrognosticRuntime, model: TrialModel, trial: TrialResult, seed: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of [...trial.enrolled, ...trial.external]) {
    out.set(t.patient, p.method === 'historical' ? predictHistorical(p.fit!, t.row) : twinPrognosticScore(model, t.row, t.patient, { endpoint: p.endpoint, draws: p.draws, seed, replicate: trial.replicate }));
  }
  return out;
}

/** Correlation between the score and the observed control-arm outcome (twins observed at the endpoint's visit). */
export function scoreCorrelation(p: PrognosticRuntime, model: TrialModel, trial: TrialResult, scores: Map<number, number>): { n: number; correlation: number | null } {
  const control = model.arms.findIndex((a) => a.role === 'control');
  const ei = model.endpoints.findIndex((e) => e.id === p.endpoint);
  const e = model.endpoints[ei]!;
  if (control < 0 || e.kind === 'time_to_event') return { n: 0, correlation: null };
  const pairs = trial.enrolled.filter((t) => t.arm === control && t.outcomes[control]!.lastVisit >= e.visit).map((t) => [scores.get(t.patient)!, t.outcomes[control]!.endpointValues[ei]!] as const);
  if (pairs.length < 3) return { n: pairs.length, correlation: null };
  const r = sampleCorrelation(pairs.map((x) => x[0]), pairs.map((x) => x[1]));
  return { n: pairs.length, correlation: Number.isFinite(r) ? r : null };
}
