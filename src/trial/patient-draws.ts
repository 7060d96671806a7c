/**
 * Every random quantity of one enrolled twin's outcomes, drawn once from streams keyed by
 * (seed, replicate, patient, purpose) and then shared by all arms: this is what makes the arms'
 * outcomes true counterfactuals of each other (common random numbers). Nothing here depends
 * on the arm.
 */
import { PhiInv } from '../cohort/marginals.js';
import { drawAeTerm, type AeTermDraws } from '../events/adverse-events.js';
import { drawDropout, dropoutDrawsUsed, NO_DROPOUT_DRAWS, type DropoutDraws } from '../events/dropout.js';
import { drawPkEtas } from '../pk/individual-pk.js';
import { drawIntercurrent, type IntercurrentDraws } from '../events/intercurrent.js';
import { PatientStreams } from '../random/patient-streams.js';
import { openUniform, type Source } from '../random/stream.js';
import type { TrialModel } from './trial-model.js';

export interface PatientDraws {
  pkEtas: number[];
  biomarkers: { b0: number; b1: number; ec50Eta: number; residuals: number[] }[];
  adverseEvents: AeTermDraws[];
  dropout: DropoutDraws;
  /** Exp(1) draws, one per time-to-event endpoint (NaN for other endpoints). */
  eventDraws: number[];
  /** Intercurrent events (stream "intercurrent"); undefined when the protocol has no intercurrent_events section. */
  intercurrent?: IntercurrentDraws;
}

/**
 * @param prefix purpose prefix: "" for the patient's own draws; the prognostic score's Monte
 *   Carlo uses "prognostic/<m>/", streams that never meet the patient's own.
 */
export function drawPatient(model: TrialModel, seed: number, replicate: number, patient: number, prefix = ''): PatientDraws {
  // Every stream is drawn from completely before the next use(), so one generator serves all.
  const streams = new PatientStreams(seed, replicate, patient, prefix);
  const z = (s: Source) => PhiInv(openUniform(s));
  const { backgroundPerYear, afterDiscontinuationPerYear } = model.dropout;
  return {
    pkEtas: model.pk ? drawPkEtas(streams.use('pk')) : [],
    biomarkers: model.biomarkers.map((b) => {
      const s = streams.use('biomarker/', b.id);
      const b0 = z(s);
      const b1 = z(s);
      const ec50Eta = z(s);
      return { b0, b1, ec50Eta, residuals: model.visits.map(() => z(s)) };
    }),
    adverseEvents: model.adverseEvents.map((ae) => drawAeTerm(streams.use('ae/', ae.term))),
    // Lazy: a stream is keyed by its own purpose, so skipping one whose draws cannot be read
    // (dropoutDrawsUsed) changes no other draw and no output.
    dropout: dropoutDrawsUsed(backgroundPerYear, afterDiscontinuationPerYear) ? drawDropout(streams.use('dropout')) : NO_DROPOUT_DRAWS,
    eventDraws: model.endpoints.map((e) => (e.kind === 'time_to_event' ? -Math.log(openUniform(streams.use('tte/', e.id))) : NaN)),
    ...(model.intercurrent ? { intercurrent: drawIntercurrent(streams.use('intercurrent'), model.intercurrent.reasons.length) } : {}),
  };
}
