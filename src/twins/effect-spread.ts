/**
 * The spread of individual treatment effects among a trial's enrolled twins, per endpoint and
 * active arm against the control: the mean and SD (divisor n - 1) of each twin's counterfactual
 * difference, its endpoint value under the arm minus under the control (as ite.csv's "all" row).
 * For a time-to-event endpoint the difference is taken in log latent event time, log T_arm -
 * log T_control: a twin's own time ratio (an acceleration factor), which does not depend on the
 * follow-up or a cut-off. (Under proportional hazards with a Weibull or exponential baseline it
 * is the same for every twin, -log HR / shape, so its SD is 0 unless the effect varies between
 * twins, e.g. with exposure; a piecewise baseline hazard makes it vary.)
 */
import type { TrialResult } from '../trial/simulate-trial.js';
import type { TrialModel } from '../trial/trial-model.js';

export interface EffectSpread {
  endpoint: string;
  arm: string;
  control: string;
  /** `difference` (the endpoint's own scale) or `log_time_ratio` (time to event). */
  scale: 'difference' | 'log_time_ratio';
  n: number;
  mean: number | null;
  sd: number | null;
}

/** Per endpoint of `endpoints` (ids, each once) and active arm, in the model's arm order; none without a control arm. */
export function effectSpreads(model: TrialModel, trial: TrialResult, endpoints: readonly string[]): EffectSpread[] {
  const control = model.arms.findIndex((a) => a.role === 'control');
  if (control < 0) return [];
  const out: EffectSpread[] = [];
  const twins = trial.enrolled;
  for (const id of new Set(endpoints)) {
    const ei = model.endpoints.findIndex((e) => e.id === id);
    if (ei < 0) continue;
    const tte = model.endpoints[ei]!.kind === 'time_to_event';
    model.arms.forEach((arm, ai) => {
      if (ai === control) return;
      const d = (k: number) => {
        const a = twins[k]!.outcomes[ai]!.endpointValues[ei]!;
        const c = twins[k]!.outcomes[control]!.endpointValues[ei]!;
        return tte ? Math.log(a) - Math.log(c) : a - c;
      };
      const n = twins.length;
      let sum = 0;
      for (let k = 0; k < n; k++) sum += d(k);
      const mean = n > 0 ? sum / n : null;
      let ss = 0;
      if (mean !== null) for (let k = 0; k < n; k++) ss += (d(k) - mean) ** 2;
      out.push({ endpoint: id, arm: arm.id, control: model.arms[control]!.id, scale: tte ? 'log_time_ratio' : 'difference', n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : null });
    });
  }
  return out;
}
