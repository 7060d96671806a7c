/**
 * Sample size of a group-sequential log-rank comparison with exponential survival, uniform
 * accrual and exponential dropout, as rpact's getSampleSizeSurvival (Schoenfeld's events):
 * the fixed design needs (z_{1-alpha/s} + z_{1-beta})^2 (1 + a)^2 / (a log(HR)^2) events; the
 * group-sequential design inflates them as it inflates a sample size (the drift ratio squared);
 * the number of subjects is the one whose expected events by the end of follow-up are the
 * maximum number of events, and each interim analysis falls at the calendar time when the
 * expected events reach its share.
 *
 * A patient who enters at time u is followed until T - u; with event hazard lambda and dropout
 * hazard gamma (gamma = -log(1 - dropoutRate) / dropoutTime) the event is seen by then with
 * probability lambda / (lambda + gamma) (1 - exp(-(lambda + gamma)(T - u))), averaged over
 * uniform entry on [0, min(T, A)] for accrual time A.
 */
import { qnorm } from './distributions.js';
import { driftForPower, sequentialOutcome } from './group-sequential-means.js';
import { type GroupSequentialDesign } from './group-sequential.js';
import { uniroot } from './zeroin.js';

export interface SurvivalInput {
  /** Control arm's event hazard per time unit. */
  lambda2: number;
  hazardRatio: number;
  /** Start and end of uniform accrual. */
  accrualTime: readonly [number, number];
  followUpTime: number;
  dropoutRate1: number;
  dropoutRate2: number;
  dropoutTime: number;
  /** Active : control allocation (default 1). */
  allocationRatioPlanned?: number;
  beta: number;
}

export interface SampleSizeSurvival {
  maxNumberOfEvents: number;
  cumulativeEventsPerStage: number[];
  analysisTime: number[];
  maxNumberOfSubjects: number;
  expectedEventsH1: number;
  expectedEventsH0: number;
  accrualIntensity: number;
  rejectPerStage: number[];
  eventsFixed: number;
}

/** Probability that a patient accrued uniformly on [0, A] has had the event by calendar time T (entered by then). */
function eventProbability(lambda: number, gamma: number, A: number, T: number): number {
  const h = lambda + gamma;
  const share = lambda / h;
  if (T >= A) return share * (1 - (Math.exp(-h * (T - A)) - Math.exp(-h * T)) / (h * A));
  return (share / A) * (T - (1 - Math.exp(-h * T)) / h);
}

/** The events a group-sequential log-rank design needs (Schoenfeld), per stage and expected under H0 and H1. */
export interface SequentialEvents {
  maxNumberOfEvents: number;
  cumulativeEventsPerStage: number[];
  expectedEventsH0: number;
  expectedEventsH1: number;
  /** The fixed design's events. */
  eventsFixed: number;
  /** Under H1: rejection and futility stopping per stage (as sequentialOutcome). */
  outcome: ReturnType<typeof sequentialOutcome>;
}

/**
 * The maximum number of events at which the design has power 1 - beta, for a hazard ratio and an
 * active : control allocation a: the drift D at full information that gives the power, over
 * Schoenfeld's drift per event sqrt(a) / (1 + a) |log HR|, squared.
 *
 * @example sequentialEvents(groupSequentialDesign({ typeOfDesign: 'OF', kMax: 1, alpha: 0.025, sided: 1 }), { hazardRatio: 0.7, beta: 0.2 }).maxNumberOfEvents // 246.787, Schoenfeld's
 */
export function sequentialEvents(design: GroupSequentialDesign, o: { hazardRatio: number; allocationRatioPlanned?: number; beta: number }): SequentialEvents {
  const a = o.allocationRatioPlanned ?? 1;
  const s = design.sided;
  const target = 1 - o.beta;
  const logHr = Math.log(o.hazardRatio);
  const eventsFixed = ((qnorm(1 - design.alpha / s) + qnorm(target)) ** 2 * (1 + a) ** 2) / (a * logHr ** 2);
  // The drift that gives the power; the events scale as the drift squared (Schoenfeld: drift = sqrt(a D) / (1 + a) |log HR|).
  const drift = driftForPower(design, target);
  const theta = (Math.sqrt(a) / (1 + a)) * Math.abs(logHr);
  const maxEvents = (drift / theta) ** 2;
  const events = design.informationRates.map((t) => maxEvents * t);
  const expected = (out: ReturnType<typeof sequentialOutcome>) => {
    let e = 0;
    for (let k = 0; k < events.length - 1; k++) e += events[k]! * out.stopPerStage[k]!;
    return e + maxEvents * (1 - out.earlyStop);
  };
  const h1 = sequentialOutcome(design, drift);
  return { maxNumberOfEvents: maxEvents, cumulativeEventsPerStage: events, expectedEventsH0: expected(sequentialOutcome(design, 0)), expectedEventsH1: expected(h1), eventsFixed, outcome: h1 };
}

export function sampleSizeSurvival(design: GroupSequentialDesign, o: SurvivalInput): SampleSizeSurvival {
  const a = o.allocationRatioPlanned ?? 1;
  const ev = sequentialEvents(design, { hazardRatio: o.hazardRatio, allocationRatioPlanned: a, beta: o.beta });
  const maxEvents = ev.maxNumberOfEvents;
  const [start, end] = o.accrualTime;
  const A = end - start;
  const total = A + o.followUpTime;
  const lambda1 = o.lambda2 * o.hazardRatio;
  const gamma1 = -Math.log(1 - o.dropoutRate1) / o.dropoutTime;
  const gamma2 = -Math.log(1 - o.dropoutRate2) / o.dropoutTime;
  // Expected events per subject accrued by time T (calendar time from the start of accrual).
  const perSubject = (T: number) => (a / (1 + a)) * eventProbability(lambda1, gamma1, A, T) + (1 / (1 + a)) * eventProbability(o.lambda2, gamma2, A, T);
  const N = maxEvents / perSubject(total);
  const events = ev.cumulativeEventsPerStage;
  const analysisTime = events.map((d, k) => (k === events.length - 1 ? total : uniroot((T) => N * perSubject(T) - d, 1e-9, total, 1e-12)));
  return {
    maxNumberOfEvents: maxEvents,
    cumulativeEventsPerStage: events,
    analysisTime: analysisTime.map((T) => T + start),
    maxNumberOfSubjects: N,
    expectedEventsH1: ev.expectedEventsH1,
    expectedEventsH0: ev.expectedEventsH0,
    accrualIntensity: N / A,
    rejectPerStage: ev.outcome.rejectPerStage,
    eventsFixed: ev.eventsFixed,
  };
}
