import { describe, expect, it } from 'vitest';
import { drawAeTerm } from '../../src/events/adverse-events.js';
import { drawDropout, dropoutDay, dropoutDrawsUsed, NO_DROPOUT_DRAWS } from '../../src/events/dropout.js';
import { generateTwin } from '../../src/cohort/generate-twin.js';
import { PhiInv } from '../../src/cohort/marginals.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { drawPkEtas } from '../../src/pk/individual-pk.js';
import { PatientStreams } from '../../src/random/patient-streams.js';
import { createStream, openUniform, TRIAL_LEVEL } from '../../src/random/stream.js';
import { drawPatient, type PatientDraws } from '../../src/trial/patient-draws.js';
import { simulateArm } from '../../src/trial/simulate-arm.js';
import { EXTERNAL_PATIENT_OFFSET } from '../../src/trial/simulate-trial.js';
import type { TrialModel } from '../../src/trial/trial-model.js';

const PATIENTS = [0, 7, 10, 599, 12345, TRIAL_LEVEL, EXTERNAL_PATIENT_OFFSET, EXTERNAL_PATIENT_OFFSET + 42];
const PURPOSES = ['covariates', 'empirical', 'pk', 'dropout', 'tte/TTE', 'biomarker/hba1c', 'ae/Nausea', 'randomisation/F/EU'];
const take = (s: () => number, n: number) => Array.from({ length: n }, () => s());

/** drawPatient as it was written with one createStream per purpose: the oracle for the lazy, prefix-hashing one. */
function drawPatientReference(model: TrialModel, seed: number, replicate: number, patient: number, prefix = ''): PatientDraws {
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

describe('PatientStreams', () => {
  it('use() gives the numbers of createStream for the same key (TRIAL_LEVEL and external patients too)', () => {
    for (const seed of [1, 20261130]) {
      for (const replicate of [0, 3, 1000]) {
        for (const patient of PATIENTS) {
          const streams = new PatientStreams(seed, replicate, patient);
          for (const purpose of PURPOSES) {
            expect(take(streams.use(purpose), 20)).toEqual(take(createStream({ seed, replicate, patient, purpose }), 20));
          }
        }
      }
    }
  });

  it('a purpose prefix and a suffix join the purpose text: use("ae/", term) is the stream "prognostic/3/ae/<term>"', () => {
    const streams = new PatientStreams(7, 2, 41, 'prognostic/3/');
    expect(take(streams.use('ae/', 'Nausea'), 10)).toEqual(take(createStream({ seed: 7, replicate: 2, patient: 41, purpose: 'prognostic/3/ae/Nausea' }), 10));
    expect(streams.open('biomarker/', 'y')()).toBe(createStream({ seed: 7, replicate: 2, patient: 41, purpose: 'prognostic/3/biomarker/y' })());
  });

  it('a stream does not depend on the order of opening, nor on what was drawn from the others', () => {
    const forward = new PatientStreams(1, 0, 5);
    const backward = new PatientStreams(1, 0, 5);
    const a = PURPOSES.map((p, i) => take(forward.use(p), 3 + i));
    const b = [...PURPOSES].reverse().map((p, i) => take(backward.use(p), 3 + PURPOSES.length - 1 - i)).reverse();
    expect(b).toEqual(a);
  });

  it('open() streams stay independent of each other and of use()', () => {
    const streams = new PatientStreams(1, 0, 5);
    const x = streams.open('covariates');
    const y = streams.open('dropout');
    const first = [x(), y()];
    streams.use('covariates')();
    expect([x(), y()]).not.toEqual(first);
    const again = new PatientStreams(1, 0, 5);
    const x2 = again.open('covariates');
    const y2 = again.open('dropout');
    expect([x2(), y2(), x2(), y2()]).toEqual([first[0], first[1], ...[createStream({ seed: 1, replicate: 0, patient: 5, purpose: 'covariates' }), createStream({ seed: 1, replicate: 0, patient: 5, purpose: 'dropout' })].map((s) => (s(), s()))]);
    expect(x.state()).toEqual(x2.state());
  });
});

describe('drawPatient through PatientStreams', () => {
  const p = loadProtocol('test/fixtures/protocols/identical-arms.yaml');
  const model = p.trial!;
  const noDropout: TrialModel = { ...model, dropout: { backgroundPerYear: 0, afterDiscontinuationPerYear: 0 } };

  it('draws what one createStream per purpose drew (pk, biomarkers, AEs, dropout, time to event; prognostic prefix)', () => {
    expect(model.dropout.backgroundPerYear).toBeGreaterThan(0);
    for (const patient of [0, 1, 17, 250, EXTERNAL_PATIENT_OFFSET + 3]) {
      for (const prefix of ['', 'prognostic/0/', 'prognostic/199/']) {
        expect(drawPatient(model, 3, 1, patient, prefix)).toEqual(drawPatientReference(model, 3, 1, patient, prefix));
      }
    }
  });

  it('skips the dropout stream when no dropout rate is positive, and no outcome changes', () => {
    let events = 0;
    for (let patient = 0; patient < 200; patient++) {
      const row = generateTwin(p.cohort.model, { seed: 3, replicate: 0, patient });
      const lazy = drawPatient(noDropout, 3, 0, patient);
      const full = drawPatientReference(noDropout, 3, 0, patient);
      expect(lazy.dropout).toBe(NO_DROPOUT_DRAWS);
      expect({ ...lazy, dropout: full.dropout }).toEqual(full);
      for (let arm = 0; arm < model.arms.length; arm++) {
        const a = simulateArm(noDropout, arm, row, lazy);
        expect(a).toEqual(simulateArm(noDropout, arm, row, full));
        events += a.adverseEvents.events.filter((e) => e.discontinued).length;
      }
    }
    expect(events).toBeGreaterThan(5); // AE discontinuations happened: the after-discontinuation rate was the only guard
  });

  it('the skip rule matches dropoutDay: with both rates 0 it reads neither draw', () => {
    expect(dropoutDrawsUsed(0, 0)).toBe(false);
    expect(dropoutDrawsUsed(0.1, 0)).toBe(true);
    expect(dropoutDrawsUsed(0, 0.1)).toBe(true);
    for (const d of [NO_DROPOUT_DRAWS, { e1: 0.01, e2: 0.02 }, { e1: 5, e2: 9 }]) {
      for (const stop of [30, Infinity]) expect(dropoutDay(d, 0, 0, stop)).toEqual({ day: Infinity, reason: 'WITHDRAWAL BY SUBJECT' });
    }
    // With a positive rate the draws are read (so they must be drawn).
    expect(dropoutDay({ e1: 1, e2: 1 }, 1, 0, Infinity).day).toBe(365);
    expect(dropoutDay({ e1: 1, e2: 1 }, 0, 1, 30).day).toBe(395);
  });
});
