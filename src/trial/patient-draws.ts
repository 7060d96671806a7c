/**
 * Every random quantity of one enrolled twin's outcomes, drawn once from streams keyed by
 * (seed, replicate, patient, purpose) and then shared by all arms: this is what makes the arms'
 * outcomes true counterfactuals of each other (common random numbers). Nothing here depends
 * on the arm.
 */
import { PhiInv } from '../cohort/marginals.js';
import { drawAeTerm, type AeTermDraws } from '../events/adverse-events.js';
import { drawDropout, type DropoutDraws } from '../events/dropout.js';
import { drawPkEtas } from '../pk/individual-pk.js';
import { createStream, openUniform } from '../random/stream.js';
import type { TrialModel } from './trial-model.js';

export interface PatientDraws {
  pkEtas: number[];
  biomarkers: { b0: number; b1: number; ec50Eta: number; residuals: number[] }[];
  adverseEvents: AeTermDraws[];
  dropout: DropoutDraws;
  /** Exp(1) draws, one per time-to-event endpoint (NaN for other endpoints). */
  eventDraws: number[];
}

/**
 * @param prefix purpose prefix: "" for the patient's own draws; the prognostic score's Monte
 *   Carlo uses "prognostic/<m>/", streams that never meet the patient's own.
 */
export function drawPatient(model: TrialModel, seed: number, replicate: number, patient: number, prefix = ''): PatientDraws {
  const stream = (purpose: string) => createStream({ seed, replicate, patient, purpose: prefix + purpose });
  const z = (s: () => number) => PhiInv(openUniform(s));
  return {
    pkEtas: model.pk ? drawPkEtas(stream('pk')) : [],
    biomarkers: model.biomarkers.map((b) => {
      const s = stream(`biomarker/${b.id}`);
      const b0 = z(s);
      const b1 = z(s);
      const ec50Eta = z(s);
      return { b0, b1, ec50Eta, residuals: model.visits.map(() => z(s)) };
    }),
    adverseEvents: model.adverseEvents.map((ae) => drawAeTerm(stream(`ae/${ae.term}`))),
    dropout: drawDropout(stream('dropout')),
    eventDraws: model.endpoints.map((e) => (e.kind === 'time_to_event' ? -Math.log(openUniform(stream(`tte/${e.id}`))) : NaN)),
  };
}
