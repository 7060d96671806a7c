/**
 * Variance reduction of covariate-adjusted analyses (e.g. PROCOVA: ANCOVA on baseline and the
 * prognostic score) against the unadjusted and the baseline-only analysis of the same endpoint
 * and comparison: the ratio of the squared standard errors (1 - that ratio is the reduction).
 */
import { analysisMethod } from '../methods/registry.js';

export interface SeRow {
  endpoint: string;
  arm: string;
  method: string;
  covariates: string;
  se: number | null;
}

export interface VarianceReduction {
  endpoint: string;
  arm: string;
  analysis: string;
  /** se^2 / se^2 of the unadjusted analysis (null if the plan has none). */
  vsUnadjusted: number | null;
  /** se^2 / se^2 of the ANCOVA on baseline only (null if the plan has none). */
  vsBaselineOnly: number | null;
}

/** An unadjusted comparison of the same continuous endpoint: any of its methods without covariates. */
const isUnadjusted = (r: SeRow) => analysisMethod(r.method).endpoint === 'continuous' && r.covariates === '';

export function varianceReductions(rows: readonly SeRow[]): VarianceReduction[] {
  const out: VarianceReduction[] = [];
  for (const r of rows) {
    if (r.method !== 'ancova' || !r.covariates.split('+').includes('PROG') || r.se === null) continue;
    const same = rows.filter((x) => x.endpoint === r.endpoint && x.arm === r.arm && x.se !== null);
    const un = same.find(isUnadjusted);
    const base = same.find((x) => x.method === 'ancova' && x.covariates === 'BASE');
    out.push({
      endpoint: r.endpoint,
      arm: r.arm,
      analysis: `ancova(${r.covariates})`,
      vsUnadjusted: un ? r.se ** 2 / un.se! ** 2 : null,
      vsBaselineOnly: base ? r.se ** 2 / base.se! ** 2 : null,
    });
  }
  return out;
}
