/**
 * Subjects with adverse events per arm, straight from a simulated trial (what a replicate keeps
 * of safety): with any AE, then with each term, among the randomised twins, counting only the
 * AEs observed (onset before observation ended), as ADAE holds them. The same counts as the
 * "any" and "term" rows of safety.ts on the trial's ADaM tables.
 */
import type { TrialResult } from '../trial/simulate-trial.js';
import type { TrialModel } from '../trial/trial-model.js';

/** [term ("(any)" for any AE), arm, subjects with it, subjects in the arm]. */
export type AeIncidence = [string, string, number, number];

export function aeIncidence(model: TrialModel, trial: TrialResult): AeIncidence[] {
  const arms = model.arms.length;
  const terms = [...new Set(model.adverseEvents.map((t) => t.term))];
  const termIndex = new Map(terms.map((t, i) => [t, i]));
  const size = new Int32Array(arms);
  const any = new Int32Array(arms);
  // with[term * arms + arm]: subjects with the term.
  const withTerm = new Int32Array(terms.length * arms);
  const seen = new Uint8Array(terms.length);
  for (const t of trial.enrolled) {
    const o = t.outcomes[t.arm]!;
    size[t.arm]!++;
    seen.fill(0);
    let hadAny = false;
    for (const ev of o.adverseEvents.events) {
      if (ev.day > o.endDay) continue; // after dropout: never observed
      hadAny = true;
      const k = termIndex.get(ev.term);
      if (k === undefined) throw new Error(`aeIncidence: the term ${ev.term} is not a term of the protocol`);
      if (!seen[k]) {
        seen[k] = 1;
        withTerm[k * arms + t.arm]!++;
      }
    }
    if (hadAny) any[t.arm]!++;
  }
  const out: AeIncidence[] = model.arms.map((a, i) => ['(any)', a.id, any[i]!, size[i]!]);
  terms.forEach((term, k) => model.arms.forEach((a, i) => out.push([term, a.id, withTerm[k * arms + i]!, size[i]!])));
  return out;
}
