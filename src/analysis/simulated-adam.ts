/**
 * The ADaM-shaped tables of a simulated trial and the same data as records for the analysis,
 * built once for `vtrial run` and for each replicate.
 */
import { adae, adeff, adice, adpc, adsl, adtte, counterfactuals } from '../adam/adam-tables.js';
import type { Table } from '../util/table.js';
import type { CohortModel } from '../cohort/cohort-model.js';
import type { Criterion } from '../screening/criteria.js';
import type { TrialResult } from '../trial/simulate-trial.js';
import type { TrialModel } from '../trial/trial-model.js';
import { recordsOf, type AdamData } from './adam-data.js';

export interface SimulatedAdamOptions {
  /** Prognostic scores by patient (ADSL column PROG). */
  prognostic?: ReadonlyMap<number, number>;
  /** ADEFF only at these visit indices (a replicate's analysis needs only a few). */
  visits?: ReadonlySet<number>;
  /** Include ADPC (only written, never analysed). */
  concentrations: boolean;
}

/** Tables in file order: adsl, adeff, adtte, adae, [adpc], [adice: with intercurrent_events], counterfactual. */
export function simulatedAdam(cohort: CohortModel, criteria: readonly Criterion[], model: TrialModel, trial: TrialResult, o: SimulatedAdamOptions): { tables: Table[]; data: AdamData } {
  const tAdsl = adsl(cohort, criteria, model, trial, o.prognostic);
  const tAdeff = adeff(model, trial, o.visits);
  const tAdtte = adtte(model, trial);
  const tAdae = adae(model, trial);
  const tCf = counterfactuals(model, trial);
  const data: AdamData = { adsl: recordsOf(tAdsl), adeff: recordsOf(tAdeff), adtte: recordsOf(tAdtte), adae: recordsOf(tAdae), counterfactual: recordsOf(tCf) };
  const tables = [tAdsl, tAdeff, tAdtte, tAdae, ...(o.concentrations ? [adpc(model, trial)] : []), ...(model.intercurrent ? [adice(model, trial)] : []), tCf];
  return { tables, data };
}
