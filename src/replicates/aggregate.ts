/**
 * Operating characteristics of many replicate trials, aggregated from per-replicate records
 * (the only per-replicate data kept: a few numbers per comparison, never patients).
 *
 * Per scenario, endpoint analysis and comparison:
 *   power = rejections / R, its Monte Carlo SE sqrt(p (1 - p) / R) and Clopper-Pearson CI;
 *   mean and median estimate; the true effect of the target population (the mean over
 *   replicates of each replicate's truth, on the log scale for ratios); bias and RMSE against
 *   it (log scale for ratios); CI coverage of it with its Monte Carlo SE.
 * For time-to-event analyses, the mean number of events per arm.
 * Per scenario: mean screened and enrolled, screen-failure and dropout rates; per AE term and
 * arm: mean incidence and its 5th-95th percentiles across replicates (R's quantile type 7).
 */
import { clopperPearson } from '../stats/clopper-pearson.js';
import { quantile7 } from '../stats/quantile7.js';
import type { ReplicateRecord } from './replicate.js';
import { analysisMethod } from '../methods/registry.js';
import { SequentialAggregator } from './sequential-aggregate.js';

/**
 * A replicate's dropout rate: dropouts among the twins randomised by the data cut-off (with
 * calendar time a cut-off before the last entry leaves later twins out), else among the enrolled.
 */
export function dropoutRate(r: Pick<ReplicateRecord, 'enrolled' | 'dropouts' | 'cutoff'>): number {
  const n = r.cutoff ? r.cutoff.entered : r.enrolled;
  return n ? r.dropouts / n : 0;
}

/** Which analysis a row is about: scenario, endpoint analysis and comparison (sweeps and comparisons match rows by it). */
export interface AnalysisIdentity {
  scenario: string;
  endpoint: string;
  role: string;
  method: string;
  covariates: string;
  measure: string;
  arm: string;
  control: string;
}

export interface OcRow extends AnalysisIdentity {
  /** The item's estimand label (README "Intercurrent events and estimands"); absent when it declares none. */
  estimand?: string;
  /** Mean standard error of the estimate over replicates (variance reduction: compare squares). */
  meanSe: number | null;
  replicates: number;
  estimable: number;
  rejections: number;
  power: number;
  powerMcse: number;
  powerLower: number;
  powerUpper: number;
  meanEstimate: number | null;
  medianEstimate: number | null;
  trueEffect: number | null;
  bias: number | null;
  rmse: number | null;
  coverage: number | null;
  coverageMcse: number | null;
  /** Mean events per replicate in the arm and the control (time-to-event analyses; null otherwise). */
  meanEventsArm: number | null;
  meanEventsControl: number | null;
  /** "log" when bias and RMSE are on the log scale (ratio measures). */
  scale: 'natural' | 'log';
}

export interface TrialCharacteristics {
  scenario: string;
  replicates: number;
  meanScreened: number;
  meanEnrolled: number;
  screenFailureRate: number;
  dropoutRate: number;
  patientVisits: number;
  /** Mean over replicates of the prognostic score's correlation with the observed control outcome. */
  meanPrognosticCorrelation: number | null;
  /**
   * With accrual only: the mean study duration (the data cut-off's calendar day, from the study's
   * opening), the mean events of the counted endpoint at the cut-off, and the replicates whose
   * study end rule was not met (an events target not reached by the last patient's last visit).
   */
  meanStudyDurationDays?: number;
  meanEventsAtCutoff?: number;
  studyEndNotReached?: number;
}

export interface AeCharacteristics {
  scenario: string;
  term: string;
  arm: string;
  meanIncidence: number;
  p5: number;
  p95: number;
}

/**
 * Sums are kept as running totals (in replicate order, so exactly what summing an array would
 * give); only what needs the final true effect or a median is kept per replicate: 3 doubles per
 * replicate and comparison, and 1 per replicate, AE term and arm (for its percentiles).
 */
/** Ratios (hazard and odds ratios) are averaged, compared and judged on the log scale; the registry says which methods estimate one. */
const isRatio = (e: ReplicateRecord['efficacy'][number]): boolean => e.control !== '' && analysisMethod(e.method).scale === 'ratio';

interface EffAcc {
  first: ReplicateRecord['efficacy'][number];
  scenario: string;
  rejections: number;
  replicates: number;
  estimates: number[];
  /** Sum and count of the finite estimates (on the log scale for ratios). */
  estimateSum: number;
  finiteEstimates: number;
  seSum: number;
  seN: number;
  lowers: number[];
  uppers: number[];
  /** Sum and count of the true effects (on the log scale for ratios). */
  truthSum: number;
  truthN: number;
  /** Sums and counts of the events per arm (time-to-event analyses). */
  eventsArm: number;
  eventsArmN: number;
  eventsControl: number;
  eventsControlN: number;
}

export class Aggregator {
  private readonly eff = new Map<string, EffAcc>();
  private readonly trials = new Map<string, { n: number; screened: number; enrolled: number; sfr: number; dropout: number; visits: number; rho: number; rhoN: number; cutoffs: number; cutoffDay: number; cutoffEvents: number; notReached: number }>();
  private readonly ae = new Map<string, { scenario: string; term: string; arm: string; incidences: number[]; sum: number }>();
  /** The group-sequential design's characteristics (records with interim looks only). */
  readonly sequential = new SequentialAggregator();

  add(r: ReplicateRecord): void {
    this.sequential.add(r);
    r.efficacy.forEach((e, i) => {
      const k = `${r.scenario}\u0000${i}\u0000${e.endpoint}\u0000${e.method}\u0000${e.arm}`;
      let a = this.eff.get(k);
      if (!a) this.eff.set(k, (a = { first: e, scenario: r.scenario, rejections: 0, replicates: 0, estimates: [], estimateSum: 0, finiteEstimates: 0, seSum: 0, seN: 0, lowers: [], uppers: [], truthSum: 0, truthN: 0, eventsArm: 0, eventsArmN: 0, eventsControl: 0, eventsControlN: 0 }));
      const ratio = isRatio(e);
      a.replicates++;
      if (e.reject) a.rejections++;
      if (e.estimate !== null) {
        a.estimates.push(e.estimate);
        if (Number.isFinite(e.estimate)) {
          a.estimateSum += ratio ? Math.log(e.estimate) : e.estimate;
          a.finiteEstimates++;
        }
        if (e.se !== null) {
          a.seSum += e.se;
          a.seN++;
        }
        a.lowers.push(e.lower ?? NaN);
        a.uppers.push(e.upper ?? NaN);
      }
      if (e.eventsArm !== null) {
        a.eventsArm += e.eventsArm;
        a.eventsArmN++;
      }
      if (e.eventsControl !== null) {
        a.eventsControl += e.eventsControl;
        a.eventsControlN++;
      }
      if (e.trueEffect !== null) {
        a.truthSum += ratio ? Math.log(e.trueEffect) : e.trueEffect;
        a.truthN++;
      }
    });
    const t = this.trials.get(r.scenario) ?? { n: 0, screened: 0, enrolled: 0, sfr: 0, dropout: 0, visits: 0, rho: 0, rhoN: 0, cutoffs: 0, cutoffDay: 0, cutoffEvents: 0, notReached: 0 };
    if (r.cutoff) {
      t.cutoffs++;
      t.cutoffDay += r.cutoff.day;
      t.cutoffEvents += r.cutoff.events;
      if (!r.cutoff.reached) t.notReached++;
    }
    if (r.prognosticCorrelation !== null) {
      t.rho += r.prognosticCorrelation;
      t.rhoN++;
    }
    t.n++;
    t.screened += r.screened;
    t.enrolled += r.enrolled;
    t.sfr += (r.screened - r.eligible) / r.screened;
    t.dropout += dropoutRate(r);
    t.visits += r.patientVisits;
    this.trials.set(r.scenario, t);
    for (const [term, arm, n, N] of r.adverseEvents) {
      const k = `${r.scenario}\u0000${term}\u0000${arm}`;
      let a = this.ae.get(k);
      if (!a) this.ae.set(k, (a = { scenario: r.scenario, term, arm, incidences: [], sum: 0 }));
      const incidence = N ? n / N : 0;
      a.incidences.push(incidence);
      a.sum += incidence;
    }
  }

  operatingCharacteristics(): OcRow[] {
    return [...this.eff.values()].map((a) => {
      const e = a.first;
      const ratio = isRatio(e);
      const tr = (x: number) => (ratio ? Math.log(x) : x);
      const R = a.replicates;
      const power = a.rejections / R;
      const cp = clopperPearson(a.rejections, R);
      const sorted = Float64Array.from(a.estimates).sort();
      const truth = a.truthN ? a.truthSum / a.truthN : null;
      let bias: number | null = null;
      let rmse: number | null = null;
      let coverage: number | null = null;
      if (truth !== null && a.finiteEstimates) {
        const d = a.estimates.map((x) => tr(x) - truth);
        bias = d.reduce((s, v) => s + v, 0) / d.length;
        rmse = Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
        const truthNatural = ratio ? Math.exp(truth) : truth;
        const covered = a.lowers.filter((lo, i) => lo <= truthNatural && truthNatural <= a.uppers[i]!).length;
        coverage = covered / a.estimates.length;
      }
      return {
        scenario: a.scenario,
        endpoint: e.endpoint,
        role: e.role,
        method: e.method,
        covariates: e.covariates,
        measure: e.measure,
        meanSe: a.seN ? a.seSum / a.seN : null,
        arm: e.arm,
        control: e.control,
        ...(e.estimand !== undefined ? { estimand: e.estimand } : {}),
        replicates: R,
        estimable: a.estimates.length,
        rejections: a.rejections,
        power,
        powerMcse: Math.sqrt((power * (1 - power)) / R),
        powerLower: cp.ci[0],
        powerUpper: cp.ci[1],
        meanEstimate: a.finiteEstimates ? (ratio ? Math.exp(a.estimateSum / a.finiteEstimates) : a.estimateSum / a.finiteEstimates) : null,
        medianEstimate: sorted.length ? quantile7(sorted, 0.5) : null,
        trueEffect: truth === null ? null : ratio ? Math.exp(truth) : truth,
        bias,
        rmse,
        coverage,
        coverageMcse: coverage === null ? null : Math.sqrt((coverage * (1 - coverage)) / a.estimates.length),
        meanEventsArm: a.eventsArmN ? a.eventsArm / a.eventsArmN : null,
        meanEventsControl: a.eventsControlN ? a.eventsControl / a.eventsControlN : null,
        scale: ratio ? 'log' : 'natural',
      };
    });
  }

  trialCharacteristics(): TrialCharacteristics[] {
    return [...this.trials].map(([scenario, t]) => ({
      scenario,
      replicates: t.n,
      meanScreened: t.screened / t.n,
      meanEnrolled: t.enrolled / t.n,
      screenFailureRate: t.sfr / t.n,
      dropoutRate: t.dropout / t.n,
      patientVisits: t.visits,
      meanPrognosticCorrelation: t.rhoN ? t.rho / t.rhoN : null,
      ...(t.cutoffs ? { meanStudyDurationDays: t.cutoffDay / t.cutoffs, meanEventsAtCutoff: t.cutoffEvents / t.cutoffs, studyEndNotReached: t.notReached } : {}),
    }));
  }

  adverseEventCharacteristics(): AeCharacteristics[] {
    return [...this.ae.values()].map((a) => {
      const sorted = Float64Array.from(a.incidences).sort();
      return { scenario: a.scenario, term: a.term, arm: a.arm, meanIncidence: a.sum / a.incidences.length, p5: quantile7(sorted, 0.05), p95: quantile7(sorted, 0.95) };
    });
  }
}
