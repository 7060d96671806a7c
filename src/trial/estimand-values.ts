/**
 * Each endpoint's counterfactual value under each estimand the analysis plan declares (README
 * "Intercurrent events and estimands"), from one twin-arm's worlds:
 *   actual                       the observed course (treatment policy: off-treatment course, rescue);
 *   no discontinuation (N)       drug on throughout; rescue re-derived from that world's series;
 *   no rescue                    the actual (or N) course without the rescue effect.
 * Then, with the ICE days d_k of the chosen world (hypothetical types: none):
 *   composite           an ICE on or before the endpoint's visit day is failure (responder 0;
 *                       time to event: the event at min(T, d_k));
 *   while_on_treatment  the value at the last visit on or before min d_k (baseline at worst);
 *   treatment_policy / hypothetical: the chosen world's value at the visit.
 */
import { rescueEffect, rescueVisit } from '../events/intercurrent.js';
import type { ResolvedEstimand } from '../spec/estimand.js';
import type { ArmOutcome, IceOutcome } from './simulate-arm.js';
import type { EndpointRuntime, IntercurrentModel, TrialModel } from './trial-model.js';

/**
 * @param unrescued the rescue biomarker's actual series without the rescue effect (when rescued and a hypothetical rescue strategy is declared)
 * @param noStop every biomarker's series with the drug on throughout (when treatment stopped and a hypothetical discontinuation is declared)
 */
export function estimandValues(model: TrialModel, icm: IntercurrentModel, o: ArmOutcome, ice: IceOutcome, unrescued: number[] | undefined, noStop: number[][] | undefined): number[][] {
  const days = model.visits.map((v) => v.day);
  // The no-discontinuation world's rescue, re-derived from its own series.
  let rescueDayN = ice.rescueDay;
  let noStopRescued: number[] | undefined;
  const r = icm.rescue;
  if (noStop && r) {
    const base = noStop[r.biomarker]!;
    const rv = rescueVisit(base, days, r.fromVisit, r, ice.deathDay);
    rescueDayN = rv >= 0 ? days[rv]! : Infinity;
    noStopRescued = base.map((y, vi) => (vi > rv && rv >= 0 ? y + rescueEffect(days[vi]! - rescueDayN, r.effect, r.onsetHalfLife) : y));
  }
  const seriesOf = (b: number, noDisc: boolean, noResc: boolean): readonly number[] => {
    const isRescue = r !== undefined && b === r.biomarker;
    if (noDisc && noStop) return isRescue && !noResc ? noStopRescued! : noStop[b]!;
    if (isRescue && noResc && unrescued) return unrescued;
    return o.biomarkers[b]!;
  };
  return icm.estimands.map((est) => model.endpoints.map((e, ei) => valueUnder(e, est, icm, ice, rescueDayN, seriesOf, days, o.endpointValues[ei]!)));
}

function valueUnder(e: EndpointRuntime, est: ResolvedEstimand, icm: IntercurrentModel, ice: IceOutcome, rescueDayN: number, seriesOf: (b: number, noDisc: boolean, noResc: boolean) => readonly number[], days: readonly number[], actual: number): number {
  const s = est.strategies;
  const m = icm.modelled;
  const noDisc = m.discontinuation && s.discontinuation === 'hypothetical';
  const noResc = m.rescue && s.rescue === 'hypothetical';
  const dDay = noDisc ? Infinity : ice.discontinuationDay;
  const rDay = noResc ? Infinity : noDisc ? rescueDayN : ice.rescueDay;
  const xDay = s.death === 'hypothetical' || s.death === 'treatment_policy' ? Infinity : ice.deathDay;
  let composite = Infinity;
  let wot = Infinity;
  const take = (strategy: string, day: number) => {
    if (strategy === 'composite') composite = Math.min(composite, day);
    else if (strategy === 'while_on_treatment') wot = Math.min(wot, day);
  };
  take(s.discontinuation, dDay);
  take(s.rescue, rDay);
  take(s.death, xDay);
  // Time to event: the hazard does not depend on treatment status, the biomarker or rescue; only a composite event changes the time.
  if (e.kind === 'time_to_event') return Math.min(actual, composite);
  const vDay = days[e.visit]!;
  if (composite <= vDay) return e.kind === 'responder' ? 0 : NaN;
  let u = e.visit;
  if (wot < vDay) while (u > 0 && days[u]! > wot) u--;
  const series = seriesOf(e.biomarker, noDisc, noResc);
  const x = e.measure === 'change' ? series[u]! - series[0]! : series[u]!;
  if (e.kind === 'continuous') return x;
  return (e.below !== undefined ? x < e.below : x > e.above!) ? 1 : 0;
}
