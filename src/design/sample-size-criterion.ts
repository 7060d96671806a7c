/**
 * The success criterion of a simulated sample-size search (vtrial sample-size PROTOCOL): per
 * replicate, whether the trial "succeeded". The efficacy records' `reject` is already the decision
 * after the plan's multiplicity procedure for its role (src/analysis/efficacy.ts: p adjusted
 * within the primary family, then compared with alpha), so every criterion reads it as is:
 *
 * - `all-primary`: every primary analysis rejects (co-primary endpoints; the default);
 * - `plan`: at least one primary analysis rejects after the plan's primary multiplicity
 *   adjustment (`analysis.multiplicity.primary`: none, bonferroni, holm, hochberg, bh), the
 *   rule that controls the family-wise error (for `none`, unadjusted: any of the primaries);
 * - `analysis`: the named analysis (ENDPOINT or ENDPOINT:METHOD; every row it matches) rejects;
 * - `sequential` (protocols with analysis.interim): the group-sequential trial rejected, i.e.
 *   crossed an efficacy boundary at some look before any futility stop (the replicate record's
 *   sequential outcome, as sequential-characteristics.csv counts it).
 */
import type { ReplicateRecord } from '../replicates/replicate.js';

export type SuccessCriterion = { kind: 'all-primary' } | { kind: 'plan' } | { kind: 'analysis'; endpoint: string; method?: string } | { kind: 'sequential' };

export const CRITERION_NAMES = ['all-primary', 'plan'] as const;

export function criterionLabel(c: SuccessCriterion): string {
  switch (c.kind) {
    case 'all-primary':
      return 'all primary analyses reject';
    case 'plan':
      return "at least one primary analysis rejects after the plan's multiplicity adjustment";
    case 'analysis':
      return `${c.endpoint}${c.method ? `:${c.method}` : ''} rejects`;
    case 'sequential':
      return 'the group-sequential design rejects (efficacy at any look)';
  }
}

/** What a replicate record needs for the criterion; a message when the records cannot answer it. */
export class CriterionUnavailable extends Error {}

export function succeeded(r: ReplicateRecord, c: SuccessCriterion): boolean {
  if (c.kind === 'sequential') {
    if (!r.sequential) throw new CriterionUnavailable('the replicate records have no sequential outcome (the protocol has no analysis.interim)');
    return r.sequential.reject;
  }
  const rows = r.efficacy.filter((e) => (c.kind === 'analysis' ? e.endpoint === c.endpoint && (c.method === undefined || e.method === c.method) : e.role === 'primary'));
  if (rows.length === 0) throw new CriterionUnavailable(c.kind === 'analysis' ? `--analysis ${c.endpoint}${c.method ? `:${c.method}` : ''}: the protocol's analysis plan has no such analysis` : 'the protocol has no primary analysis');
  return c.kind === 'plan' ? rows.some((e) => e.reject) : rows.every((e) => e.reject);
}

/**
 * The replicates of one scenario meeting the criterion, out of all of them, and each replicate's
 * decision (1 = success) in replicate order: under common random numbers replicate r of every
 * value searched is paired, which the monotonicity check (powerDrops) uses.
 */
export function successes(records: readonly ReplicateRecord[], scenario: string, c: SuccessCriterion): { successes: number; trials: number; decisions: Uint8Array } {
  const mine = records.filter((r) => r.scenario === scenario).sort((a, b) => a.replicate - b.replicate);
  const decisions = new Uint8Array(mine.length);
  let s = 0;
  mine.forEach((r, i) => {
    if (succeeded(r, c)) {
      decisions[i] = 1;
      s++;
    }
  });
  return { successes: s, trials: mine.length, decisions };
}
