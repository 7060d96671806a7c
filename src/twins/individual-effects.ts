/**
 * Individual treatment effects from the counterfactuals: for each enrolled twin, its endpoint
 * value under an active arm minus under control. Summarised per endpoint and active arm, over all
 * enrolled twins and within each level of every categorical covariate: mean, SD, quantiles
 * (R type 7) and the share who benefit beyond a threshold. Benefit is an effect at least
 * `threshold` in the favourable direction (by default the direction of the mean effect).
 *
 * @example individualEffects(model, cohort, trial) // rows for ite.csv
 */
import type { CohortModel } from '../cohort/cohort-model.js';
import { quantile7 } from '../stats/quantile7.js';
import type { TrialResult } from '../trial/simulate-trial.js';
import type { TrialModel } from '../trial/trial-model.js';

export interface IteThreshold {
  endpoint: string;
  threshold: number;
  direction?: 'decrease' | 'increase';
}

export interface IteRow {
  endpoint: string;
  arm: string;
  control: string;
  /** "all", or the categorical covariate defining the subgroup. */
  subgroup: string;
  level: string;
  n: number;
  mean: number;
  sd: number | null;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
  direction: 'decrease' | 'increase';
  threshold: number;
  /** Share of twins whose effect is at least `threshold` in the favourable direction. */
  shareBenefit: number;
}

/** Benefit: an effect strictly in the favourable direction (threshold 0), or at least |threshold| in it. */
export function benefits(effect: number, direction: 'decrease' | 'increase', threshold: number): boolean {
  const t = Math.abs(threshold);
  const signed = direction === 'decrease' ? -effect : effect;
  return t === 0 ? signed > 0 : signed >= t;
}

export function individualEffects(model: TrialModel, cohort: CohortModel, trial: TrialResult, thresholds: readonly IteThreshold[] = []): IteRow[] {
  const control = model.arms.findIndex((a) => a.role === 'control');
  if (control < 0) return [];
  const categorical = cohort.columns.filter((c) => c.type.kind === 'categorical').map((c) => c.name);
  const rows: IteRow[] = [];
  model.endpoints.forEach((e, ei) => {
    if (e.kind === 'time_to_event') return; // latent event times: a difference in days is not a standard ITE
    model.arms.forEach((arm, ai) => {
      if (ai === control) return;
      const effects = trial.enrolled.map((t) => ({ t, d: t.outcomes[ai]!.endpointValues[ei]! - t.outcomes[control]!.endpointValues[ei]! }));
      const spec = thresholds.find((x) => x.endpoint === e.id);
      const meanAll = effects.reduce((s, x) => s + x.d, 0) / Math.max(effects.length, 1);
      const direction = spec?.direction ?? (meanAll < 0 ? 'decrease' : 'increase');
      const threshold = spec?.threshold ?? 0;
      const groups: [string, string, number[]][] = [['all', 'all', effects.map((x) => x.d)]];
      for (const cov of categorical) {
        const levels = [...new Set(effects.map((x) => String(x.t.row[cov])))].sort();
        for (const level of levels) groups.push([cov, level, effects.filter((x) => String(x.t.row[cov]) === level).map((x) => x.d)]);
      }
      for (const [subgroup, level, d] of groups) {
        const n = d.length;
        const mean = d.reduce((s, v) => s + v, 0) / n;
        const sd = n > 1 ? Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null;
        const sorted = [...d].sort((a, b) => a - b);
        const benefit = d.filter((v) => benefits(v, direction, threshold)).length;
        rows.push({
          endpoint: e.id,
          arm: arm.id,
          control: model.arms[control]!.id,
          subgroup,
          level,
          n,
          mean,
          sd,
          q05: quantile7(sorted, 0.05),
          q25: quantile7(sorted, 0.25),
          median: quantile7(sorted, 0.5),
          q75: quantile7(sorted, 0.75),
          q95: quantile7(sorted, 0.95),
          direction,
          threshold,
          shareBenefit: n ? benefit / n : 0,
        });
      }
    });
  });
  return rows;
}
