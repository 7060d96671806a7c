/**
 * Safety summaries per arm (safety population: all randomised twins): subjects with any AE,
 * by term, by worst CTCAE grade, with serious AEs, and with AEs leading to discontinuation;
 * each active arm's risk difference against control with a Wald CI.
 */
import { isNotEstimable } from '../stats/not-estimable.js';
import { riskDifference } from '../stats/two-by-two.js';
import type { TrialModel } from '../trial/trial-model.js';
import { num, type AdamData, type AdamRecord } from './adam-data.js';

export interface SafetyRow {
  /** any | term | worst grade | serious | leading to discontinuation */
  category: string;
  /** AE term (category "term"), grade 1-5 ("worst grade"), else empty. */
  item: string;
  arm: string;
  subjects: number;
  n: number;
  percent: number;
  /** Versus the control arm (null for the control arm or without one). */
  riskDifference: number | null;
  lower: number | null;
  upper: number | null;
}

export function safety(model: TrialModel, data: AdamData, conf = 0.95): SafetyRow[] {
  const randomised = data.adsl.filter((r) => r.RANDFL === 'Y');
  const armOf = new Map(randomised.map((r) => [String(r.USUBJID), String(r.TRT01A)]));
  const ae = data.adae.filter((r) => armOf.has(String(r.USUBJID)));
  const sizes = new Map(model.arms.map((a) => [a.id, randomised.filter((r) => r.TRT01A === a.id).length]));
  const control = model.arms.find((a) => a.role === 'control');

  const subjectsWith = (pred: (r: AdamRecord) => boolean): Map<string, number> => {
    const byArm = new Map<string, Set<string>>();
    for (const r of ae) {
      if (!pred(r)) continue;
      const arm = armOf.get(String(r.USUBJID))!;
      if (!byArm.has(arm)) byArm.set(arm, new Set());
      byArm.get(arm)!.add(String(r.USUBJID));
    }
    return new Map(model.arms.map((a) => [a.id, byArm.get(a.id)?.size ?? 0]));
  };

  const rows: SafetyRow[] = [];
  const emit = (category: string, item: string, counts: Map<string, number>) => {
    for (const a of model.arms) {
      const n = counts.get(a.id)!;
      const N = sizes.get(a.id)!;
      let rd: ReturnType<typeof riskDifference> | null = null;
      if (control && a !== control && N > 0 && sizes.get(control.id)! > 0) rd = riskDifference(n, N, counts.get(control.id)!, sizes.get(control.id)!, conf);
      // Every proportion 0 or 1 (often no subject with the term in any arm): the difference is exact, its interval NA.
      const ci = rd && !isNotEstimable(rd) ? rd.ci : null;
      rows.push({ category, item, arm: a.id, subjects: N, n, percent: N ? (100 * n) / N : 0, riskDifference: rd ? rd.estimate : null, lower: ci ? ci[0] : null, upper: ci ? ci[1] : null });
    }
  };

  emit('any', '', subjectsWith(() => true));
  const terms = [...new Set([...model.adverseEvents.map((t) => t.term), ...ae.map((r) => String(r.AEDECOD))])];
  for (const term of terms) emit('term', term, subjectsWith((r) => r.AEDECOD === term));
  // Worst grade per subject.
  const worst = new Map<string, number>();
  for (const r of ae) worst.set(String(r.USUBJID), Math.max(worst.get(String(r.USUBJID)) ?? 0, num(r.AETOXGR)));
  for (let g = 1; g <= 5; g++) {
    const counts = new Map(model.arms.map((a) => [a.id, [...worst].filter(([u, w]) => w === g && armOf.get(u) === a.id).length]));
    emit('worst grade', String(g), counts);
  }
  emit('serious', '', subjectsWith((r) => r.AESER === 'Y'));
  emit('leading to discontinuation', '', subjectsWith((r) => r.AEACN === 'DRUG WITHDRAWN'));
  return rows;
}
