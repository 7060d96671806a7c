/**
 * Operating characteristics of a group-sequential design across replicates (README "Interim
 * analyses"), per scenario: the overall rejection rate (power or type I error), also with
 * non-binding futility bounds ignored; per look the probabilities of stopping for efficacy and for
 * futility (the distribution of the stopping look); the expected patients, information (events)
 * and calendar duration at the stop; the bias of the estimate at the stop against the study end's
 * truth (log scale for ratios). Every figure with its Monte Carlo SE: sqrt(p (1 - p) / R) for a
 * proportion, sd / sqrt(R) for a mean. Beside them the analytic design at the planned information
 * rates (groupSequentialDesign: critical values, nominal levels, cumulative alpha spent).
 */
import { groupSequentialDesign } from '../stats/group-sequential.js';
import type { InterimModel } from '../trial/compile-interim.js';
import { analysisMethod } from '../methods/registry.js';
import type { ReplicateRecord } from './replicate.js';

export interface SequentialCharacteristics {
  scenario: string;
  replicates: number;
  looks: number;
  overallReject: number;
  overallRejectMcse: number;
  rejectIgnoringFutility: number;
  rejectIgnoringFutilityMcse: number;
  expectedPatients: number;
  expectedPatientsMcse: number;
  expectedInformation: number;
  expectedInformationMcse: number;
  expectedDurationDays: number;
  expectedDurationDaysMcse: number;
  /** Mean of the estimate at the stop (geometric for ratios), its truth, and the bias with its MC SE (log scale for ratios). */
  meanEstimateAtStop: number | null;
  trueEffect: number | null;
  biasAtStop: number | null;
  biasAtStopMcse: number | null;
  scale: 'natural' | 'log';
}

export interface SequentialLook {
  scenario: string;
  look: number;
  /** The planned information rate (calendar-day looks: the mean observed rate) and the mean observed one. */
  plannedFraction: number | null;
  meanFraction: number | null;
  /** The analytic design at the planned rates. */
  criticalValue: number | null;
  nominalLevel: number | null;
  alphaSpent: number | null;
  futilityBound: number | null;
  /** Futility on conditional power: its threshold (the bound above is where it is met at the planned rate); absent otherwise. */
  futilityConditionalPower?: number;
  /** Mean boundary used at the observed information, and the replicates that ran the look. */
  meanObservedCritical: number | null;
  reached: number;
  pEfficacy: number;
  pEfficacyMcse: number;
  pFutility: number;
  pFutilityMcse: number;
  pStop: number;
  pStopMcse: number;
}

interface Acc {
  n: number;
  looks: number;
  reject: number;
  ignoring: number;
  patients: [number, number];
  info: [number, number];
  day: [number, number];
  estimate: number;
  estimateN: number;
  truth: number;
  truthN: number;
  bias: [number, number];
  biasN: number;
  ratio: boolean;
  efficacy: number[];
  futility: number[];
  stop: number[];
  reached: number[];
  fraction: number[];
  critical: number[];
  criticalN: number[];
}

const sq = (a: [number, number], x: number) => {
  a[0] += x;
  a[1] += x * x;
};
const prop = (k: number, n: number) => Math.sqrt(((k / n) * (1 - k / n)) / n);
/** The MC SE of a mean from its sum and sum of squares: the sample SD over sqrt(n). */
const meanSe = (a: [number, number], n: number) => (n > 1 ? Math.sqrt(Math.max(0, (a[1] - (a[0] * a[0]) / n) / (n - 1)) / n) : 0);

export class SequentialAggregator {
  private readonly acc = new Map<string, Acc>();

  add(r: ReplicateRecord): void {
    const q = r.sequential;
    if (!q) return;
    const K = q.lookDay.length;
    let a = this.acc.get(r.scenario);
    const primary = r.efficacy[0];
    const ratio = primary !== undefined && primary.control !== '' && analysisMethod(primary.method).scale === 'ratio';
    const zeros = () => new Array<number>(K).fill(0);
    if (!a) this.acc.set(r.scenario, (a = { n: 0, looks: K, reject: 0, ignoring: 0, patients: [0, 0], info: [0, 0], day: [0, 0], estimate: 0, estimateN: 0, truth: 0, truthN: 0, bias: [0, 0], biasN: 0, ratio, efficacy: zeros(), futility: zeros(), stop: zeros(), reached: zeros(), fraction: zeros(), critical: zeros(), criticalN: zeros() }));
    a.n++;
    if (q.reject) a.reject++;
    if (q.rejectIgnoringFutility) a.ignoring++;
    sq(a.patients, q.patients);
    sq(a.info, q.information);
    sq(a.day, q.day);
    const k = q.stopLook - 1;
    a.stop[k]!++;
    if (q.decision === 'efficacy') a.efficacy[k]!++;
    if (q.decision === 'futility') a.futility[k]!++;
    for (let j = 0; j < K; j++) {
      if (Number.isNaN(q.lookDay[j]!) || j > k) continue;
      a.reached[j]!++;
      a.fraction[j]! += q.lookFraction[j]!;
      if (Number.isFinite(q.lookCritical[j]!)) {
        a.critical[j]! += q.lookCritical[j]!;
        a.criticalN[j]!++;
      }
    }
    const tr = (x: number) => (a!.ratio ? Math.log(x) : x);
    if (q.estimate !== null && Number.isFinite(tr(q.estimate))) {
      a.estimate += tr(q.estimate);
      a.estimateN++;
      if (q.trueEffect !== null) {
        sq(a.bias, tr(q.estimate) - tr(q.trueEffect));
        a.biasN++;
      }
    }
    if (q.trueEffect !== null) {
      a.truth += tr(q.trueEffect);
      a.truthN++;
    }
  }

  has(scenario: string): boolean {
    return this.acc.has(scenario);
  }

  characteristics(scenario: string): SequentialCharacteristics | undefined {
    const a = this.acc.get(scenario);
    if (!a) return undefined;
    const n = a.n;
    const back = (x: number) => (a.ratio ? Math.exp(x) : x);
    return {
      scenario,
      replicates: n,
      looks: a.looks,
      overallReject: a.reject / n,
      overallRejectMcse: prop(a.reject, n),
      rejectIgnoringFutility: a.ignoring / n,
      rejectIgnoringFutilityMcse: prop(a.ignoring, n),
      expectedPatients: a.patients[0] / n,
      expectedPatientsMcse: meanSe(a.patients, n),
      expectedInformation: a.info[0] / n,
      expectedInformationMcse: meanSe(a.info, n),
      expectedDurationDays: a.day[0] / n,
      expectedDurationDaysMcse: meanSe(a.day, n),
      meanEstimateAtStop: a.estimateN ? back(a.estimate / a.estimateN) : null,
      trueEffect: a.truthN ? back(a.truth / a.truthN) : null,
      biasAtStop: a.biasN ? a.bias[0] / a.biasN : null,
      biasAtStopMcse: a.biasN ? meanSe(a.bias, a.biasN) : null,
      scale: a.ratio ? 'log' : 'natural',
    };
  }

  looks(scenario: string, design: InterimModel | undefined): SequentialLook[] {
    const a = this.acc.get(scenario);
    if (!a) return [];
    const n = a.n;
    const K = a.looks;
    const meanFraction = a.fraction.map((f, k) => (a.reached[k]! ? f / a.reached[k]! : null));
    const planned = design ? [...design.looks.map((l, k) => (l.kind === 'information' ? l.fraction : l.kind === 'events' ? l.events / design.plannedInformation : meanFraction[k] ?? null)), 1] : new Array<number | null>(K).fill(null);
    const analytic = design && planned.length === K ? plannedDesign(design, planned) : undefined;
    return Array.from({ length: K }, (_, k): SequentialLook => ({
      scenario,
      look: k + 1,
      plannedFraction: planned[k] ?? null,
      meanFraction: meanFraction[k] ?? null,
      criticalValue: analytic?.criticalValues[k] ?? null,
      nominalLevel: analytic?.stageLevels[k] ?? null,
      alphaSpent: analytic?.alphaSpent[k] ?? null,
      futilityBound: k < K - 1 && design?.design.futility ? design.design.futility[k]! : null,
      ...(k < K - 1 && design?.design.conditionalPower ? { futilityConditionalPower: design.design.conditionalPower.threshold } : {}),
      meanObservedCritical: a.criticalN[k] ? a.critical[k]! / a.criticalN[k]! : null,
      reached: a.reached[k]!,
      pEfficacy: a.efficacy[k]! / n,
      pEfficacyMcse: prop(a.efficacy[k]!, n),
      pFutility: a.futility[k]! / n,
      pFutilityMcse: prop(a.futility[k]!, n),
      pStop: a.stop[k]! / n,
      pStopMcse: prop(a.stop[k]!, n),
    }));
  }
}

/** The design at the planned rates (null where they are unknown or not increasing). */
function plannedDesign(m: InterimModel, planned: readonly (number | null)[]) {
  if (planned.some((t, k) => t === null || !(t > (k ? planned[k - 1]! : 0)) || t > 1)) return undefined;
  const d = m.design;
  return groupSequentialDesign({ typeOfDesign: d.type, kMax: planned.length, alpha: d.alpha, sided: d.sided, informationRates: planned as number[], ...(d.gamma !== undefined ? { gammaA: d.gamma } : {}), ...(d.futility ? { futilityBounds: d.futility, bindingFutility: d.binding } : {}) });
}
