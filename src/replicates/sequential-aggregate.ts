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
  /** Mean boundary used at the observed information, the replicates that ran the look, and their share of all replicates. */
  meanObservedCritical: number | null;
  reached: number;
  reachedShare: number;
  pEfficacy: number;
  pEfficacyMcse: number;
  pFutility: number;
  pFutilityMcse: number;
  pStop: number;
  pStopMcse: number;
  /** Why a figure is NA or how it was made: a calendar look's planned fraction, replicates that went on without running the look, looks the analytic design leaves out ('' when nothing to say). */
  note: string;
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
  /** Replicates still going at the look that did not run it (its day not before the study end, or no new information since the previous look). */
  skipped: number[];
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
    if (!a) this.acc.set(r.scenario, (a = { n: 0, looks: K, reject: 0, ignoring: 0, patients: [0, 0], info: [0, 0], day: [0, 0], estimate: 0, estimateN: 0, truth: 0, truthN: 0, bias: [0, 0], biasN: 0, ratio, efficacy: zeros(), futility: zeros(), stop: zeros(), reached: zeros(), skipped: zeros(), fraction: zeros(), critical: zeros(), criticalN: zeros() }));
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
      if (j > k) continue;
      if (Number.isNaN(q.lookDay[j]!)) {
        a.skipped[j]!++;
        continue;
      }
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
    const notes = Array.from({ length: K }, () => [] as string[]);
    const planned = design ? [...design.looks.map((l, k) => (l.kind === 'information' ? l.fraction : l.kind === 'events' ? l.events / design.plannedInformation : meanFraction[k] ?? null)), 1] : new Array<number | null>(K).fill(null);
    if (design && planned.length === K) {
      design.looks.forEach((l, k) => {
        if (l.kind === 'calendar_day' && a.reached[k]) notes[k]!.push(`planned fraction: the mean observed at day ${l.day} over the ${a.reached[k]} replicates that ran the look (the protocol gives no expected information at a calendar day)`);
      });
    }
    const why = (k: number): string =>
      design?.looks[k]?.kind === 'calendar_day'
        ? 'its day was not before the study end, or no information came after the previous look'
        : design
          ? 'its information was not reached before the study end (e.g. fewer events or patients observed than planned)'
          : 'its day was not before the study end, or no information came after the previous look';
    for (let k = 0; k < K - 1; k++) if (a.skipped[k]) notes[k]!.push(`not run in ${a.skipped[k]} of the ${n} replicates (still going at it: ${why(k)})`);
    const analytic = design && planned.length === K ? plannedDesign(design, planned, notes) : undefined;
    return Array.from({ length: K }, (_, k): SequentialLook => ({
      scenario,
      look: k + 1,
      plannedFraction: planned[k] ?? null,
      meanFraction: meanFraction[k] ?? null,
      criticalValue: analytic?.[k]?.critical ?? null,
      nominalLevel: analytic?.[k]?.level ?? null,
      alphaSpent: analytic?.[k]?.spent ?? null,
      futilityBound: k < K - 1 && design?.design.futility ? design.design.futility[k]! : null,
      ...(k < K - 1 && design?.design.conditionalPower ? { futilityConditionalPower: design.design.conditionalPower.threshold } : {}),
      meanObservedCritical: a.criticalN[k] ? a.critical[k]! / a.criticalN[k]! : null,
      reached: a.reached[k]!,
      reachedShare: a.reached[k]! / n,
      pEfficacy: a.efficacy[k]! / n,
      pEfficacyMcse: prop(a.efficacy[k]!, n),
      pFutility: a.futility[k]! / n,
      pFutilityMcse: prop(a.futility[k]!, n),
      pStop: a.stop[k]! / n,
      pStopMcse: prop(a.stop[k]!, n),
      note: notes[k]!.join('; '),
    }));
  }
}

/**
 * The analytic design at the planned fractions, per look (undefined where a look is left out).
 * A look without a planned fraction (a calendar look no replicate ran) or whose planned fraction
 * is not after the previous kept look's (calendar looks' mean observed fractions come from
 * different replicates) is left out, as a run leaves out a look it does not reach: the design is
 * that of the other looks, the final look spending what is left. Each such look, and the kept ones,
 * say so in their notes.
 */
function plannedDesign(m: InterimModel, planned: readonly (number | null)[], notes: string[][]): ({ critical: number; level: number; spent: number } | undefined)[] | undefined {
  const K = planned.length;
  const kept: number[] = [];
  let last = 0;
  for (let k = 0; k < K - 1; k++) {
    const t = planned[k];
    const j = kept.length ? kept[kept.length - 1]! + 1 : 0;
    if (t === null || t === undefined) notes[k]!.push('no replicate ran the look, so it has no planned fraction: the design columns are NA, and the design at the planned fractions leaves the look out');
    else if (!(t > last) || !(t < 1)) notes[k]!.push(`planned fraction ${round(t)} is not ${t < 1 ? `after look ${j}'s ${round(last)}` : 'before the final analysis'}: the design columns are NA, and the design at the planned fractions leaves the look out`);
    else {
      kept.push(k);
      last = t;
    }
  }
  kept.push(K - 1);
  const left = K - kept.length;
  if (left > 0) {
    const out = planned.map((_, k) => k + 1).filter((_, k) => !kept.includes(k));
    for (const k of kept) notes[k]!.push(`design without look${left > 1 ? 's' : ''} ${out.join(', ')} (see ${left > 1 ? 'their notes' : 'its note'})`);
  }
  const d = m.design;
  const futility = d.futility ? kept.slice(0, -1).map((k) => d.futility![k]!) : undefined;
  try {
    const g = groupSequentialDesign({ typeOfDesign: d.type, kMax: kept.length, alpha: d.alpha, sided: d.sided, informationRates: kept.map((k) => (k === K - 1 ? 1 : planned[k]!)), ...(d.gamma !== undefined ? { gammaA: d.gamma } : {}), ...(futility ? { futilityBounds: futility, bindingFutility: d.binding } : {}) });
    const out = new Array<{ critical: number; level: number; spent: number } | undefined>(K).fill(undefined);
    kept.forEach((k, i) => (out[k] = { critical: g.criticalValues[i]!, level: g.stageLevels[i]!, spent: g.alphaSpent[i]! }));
    return out;
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    for (const k of kept) notes[k]!.push(`no design at the planned fractions (${err.message.replace(/^groupSequentialDesign: /, '')})`);
    return undefined;
  }
}

const round = (x: number): string => String(Math.round(x * 1000) / 1000);
