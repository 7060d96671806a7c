/**
 * Side-by-side operating characteristics of several protocols run with the same seed and the
 * same number of replicates. Replicate r of every protocol draws from the same streams, so where
 * protocols share a cohort file they share twins (common random numbers): the difference of a
 * quantity between two protocols is estimated from per-replicate paired differences, whose
 * Monte Carlo SE is usually far below the one independent runs would have (both are reported).
 *
 * Rows are matched across protocols by scenario name, endpoint, method, covariates, arm and
 * control; what one protocol has and another lacks is listed as unmatched, never guessed.
 * Pure: summaries and per-replicate records in, the comparison out.
 */
import type { ReplicateRecord } from '../replicates/replicate.js';
import type { ReplicatesSummary } from '../replicates/summary.js';
import { dropoutRate, type AnalysisIdentity, type OcRow } from '../replicates/aggregate.js';
import { analysisMethod } from '../methods/registry.js';
import { pairedDifference, type Difference } from './paired-difference.js';

export interface ComparedProtocol {
  /** Short name (the file's base name, made unique). */
  label: string;
  file: string;
  summary: ReplicatesSummary;
  records: readonly ReplicateRecord[];
  /** The scenarios that remove every efficacy effect (their rejection rate is a type I error). */
  nullScenarios: ReadonlySet<string>;
}

export type { Difference };

export interface CompareRow extends AnalysisIdentity {
  protocol: string;
  nullScenario: boolean;
  oc: OcRow;
  /** Against the reference protocol (null for the reference itself). */
  power: Difference | null;
  bias: Difference | null;
  coverage: Difference | null;
}

export interface CompareTrialRow {
  protocol: string;
  scenario: string;
  replicates: number;
  meanScreened: number;
  meanEnrolled: number;
  screenFailureRate: number;
  dropoutRate: number;
  enrolled: Difference | null;
  screened: Difference | null;
  screenFailure: Difference | null;
  dropout: Difference | null;
}

/**
 * The design as a whole, when a compared protocol has interim looks: per protocol and scenario
 * the rejection of the primary hypothesis (a group-sequential design: at any look; a fixed design:
 * its first primary analysis at the study end), and the expected patients, information (events of
 * a time-to-event primary) and calendar duration at the analysis that decided, each with its
 * paired difference from the reference protocol.
 */
export interface CompareDesignRow {
  protocol: string;
  scenario: string;
  nullScenario: boolean;
  /** "group-sequential (K looks)" or "fixed". */
  design: string;
  replicates: number;
  reject: number;
  rejectMcse: number;
  /** Means over the replicates (null where the design does not have it: no events, no calendar). */
  meanPatients: number | null;
  meanInformation: number | null;
  meanDurationDays: number | null;
  rejectDiff: Difference | null;
  patientsDiff: Difference | null;
  informationDiff: Difference | null;
  durationDiff: Difference | null;
}

export interface CompareSafetyRow {
  protocol: string;
  scenario: string;
  term: string;
  arm: string;
  meanIncidence: number;
  incidence: Difference | null;
}

export interface Unmatched {
  what: 'analysis' | 'scenario' | 'adverse event';
  key: string;
  /** The protocols that have it (the others do not). */
  in: string[];
}

export interface Comparison {
  reference: string;
  protocols: { label: string; file: string }[];
  rows: CompareRow[];
  trials: CompareTrialRow[];
  /** Filled when some protocol has interim looks (README "Interim analyses"); else empty. */
  designs: CompareDesignRow[];
  safety: CompareSafetyRow[];
  unmatched: Unmatched[];
}

type Keyed = Pick<AnalysisIdentity, 'endpoint' | 'role' | 'method' | 'covariates' | 'arm' | 'control'>;

/**
 * The keys of a scenario's analysis rows, in order: scenario, role, endpoint, method, covariates,
 * arm, control, and which occurrence of these it is (a plan may analyse one endpoint twice with
 * the same method, e.g. in two populations: the first is matched with the first, and so on).
 */
export function analysisKeys(scenario: string, rows: readonly Keyed[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((e) => {
    const k = [scenario, e.role, e.endpoint, e.method, e.covariates, e.arm, e.control].join('\u0000');
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return `${k}\u0000${n}`;
  });
}
const showKey = (k: string) => {
  const [scenario, role, endpoint, method, covariates, arm, control, n] = k.split('\u0000');
  return `scenario ${scenario}: ${endpoint} ${method}${covariates ? `(${covariates})` : ''} ${arm}${control ? ` vs ${control}` : ''} (${role}${n === '1' ? '' : `, occurrence ${n}`})`;
};

/** Per-replicate values of one analysis of one protocol, in replicate order (NaN where not estimable). */
function perReplicate(p: ComparedProtocol, key: string, oc: OcRow): { reject: number[]; error: number[]; covered: number[] } {
  const reject: number[] = [];
  const error: number[] = [];
  const covered: number[] = [];
  const ratio = oc.control !== '' && analysisMethod(oc.method).scale === 'ratio';
  const truth = oc.trueEffect;
  const tr = (x: number) => (ratio ? Math.log(x) : x);
  for (const r of p.records) {
    const keys = analysisKeys(r.scenario, r.efficacy);
    for (let i = 0; i < r.efficacy.length; i++) {
      if (keys[i] !== key) continue;
      const e = r.efficacy[i]!;
      reject[r.replicate] = e.reject ? 1 : 0;
      error[r.replicate] = e.estimate === null || truth === null ? NaN : tr(e.estimate) - tr(truth);
      covered[r.replicate] = e.estimate === null || truth === null ? NaN : (e.lower ?? NaN) <= truth && truth <= (e.upper ?? NaN) ? 1 : 0;
    }
  }
  return { reject, error, covered };
}

export function compareProtocols(protocols: readonly ComparedProtocol[]): Comparison {
  const [ref] = protocols;
  if (!ref || protocols.length < 2) throw new Error('compareProtocols: at least two protocols');
  const unmatched: Unmatched[] = [];
  const noteUnmatched = (what: Unmatched['what'], keysOf: (p: ComparedProtocol) => Iterable<string>, show: (k: string) => string): Set<string> => {
    const have = protocols.map((p) => new Set(keysOf(p)));
    const all = new Set(have.flatMap((s) => [...s]));
    const common = new Set([...all].filter((k) => have.every((s) => s.has(k))));
    for (const k of all) if (!common.has(k)) unmatched.push({ what, key: show(k), in: protocols.filter((_, i) => have[i]!.has(k)).map((p) => p.label) });
    return common;
  };

  const scenarioNames = (p: ComparedProtocol) => p.summary.scenarios.map((s) => s.name);
  const scenarios = noteUnmatched('scenario', scenarioNames, (k) => k);
  // Within the scenarios all protocols have (an unmatched scenario is listed once, not per analysis).
  const inCommon = (key: string) => scenarios.has(key.split('\u0000')[0]!);
  const ocOf = (p: ComparedProtocol) =>
    new Map(
      p.summary.scenarios.filter((s) => scenarios.has(s.name)).flatMap((s) => {
        const keys = analysisKeys(s.name, s.operatingCharacteristics);
        return s.operatingCharacteristics.map((o, i) => [keys[i]!, o] as const);
      }),
    );
  const ocs = protocols.map(ocOf);
  const analyses = noteUnmatched('analysis', (p) => ocs[protocols.indexOf(p)]!.keys(), showKey);
  const per = protocols.map((p, i) => new Map([...analyses].map((k) => [k, perReplicate(p, k, ocs[i]!.get(k)!)])));
  const rows: CompareRow[] = [];
  for (const k of [...ocs[0]!.keys()].filter((x) => analyses.has(x))) {
    protocols.forEach((p, i) => {
      const oc = ocs[i]!.get(k)!;
      const mine = per[i]!.get(k)!;
      const base = per[0]!.get(k)!;
      rows.push({
        protocol: p.label,
        scenario: oc.scenario,
        nullScenario: p.nullScenarios.has(oc.scenario),
        endpoint: oc.endpoint,
        role: oc.role,
        method: oc.method,
        covariates: oc.covariates,
        measure: oc.measure,
        arm: oc.arm,
        control: oc.control,
        oc,
        power: i === 0 ? null : pairedDifference(base.reject, mine.reject),
        bias: i === 0 ? null : pairedDifference(base.error, mine.error),
        coverage: i === 0 ? null : pairedDifference(base.covered, mine.covered),
      });
    });
  }

  const trialValues = (p: ComparedProtocol, scenario: string) => {
    const out = { screened: [] as number[], enrolled: [] as number[], sfr: [] as number[], dropout: [] as number[] };
    for (const r of p.records) {
      if (r.scenario !== scenario) continue;
      out.screened[r.replicate] = r.screened;
      out.enrolled[r.replicate] = r.enrolled;
      out.sfr[r.replicate] = (r.screened - r.eligible) / r.screened;
      out.dropout[r.replicate] = dropoutRate(r);
    }
    return out;
  };
  const trials: CompareTrialRow[] = [];
  for (const s of scenarioNames(ref).filter((x) => scenarios.has(x))) {
    const base = trialValues(ref, s);
    protocols.forEach((p, i) => {
      const t = p.summary.scenarios.find((x) => x.name === s)!.trial;
      const mine = trialValues(p, s);
      const d = (f: keyof typeof base) => (i === 0 ? null : pairedDifference(base[f], mine[f]));
      trials.push({ protocol: p.label, scenario: s, replicates: t.replicates, meanScreened: t.meanScreened, meanEnrolled: t.meanEnrolled, screenFailureRate: t.screenFailureRate, dropoutRate: t.dropoutRate, enrolled: d('enrolled'), screened: d('screened'), screenFailure: d('sfr'), dropout: d('dropout') });
    });
  }

  const designs = protocols.some((p) => p.records.some((r) => r.sequential)) ? compareDesigns(protocols, scenarioNames(ref).filter((x) => scenarios.has(x))) : [];

  const aeKey = (scenario: string, term: string, arm: string) => [scenario, term, arm].join('\u0000');
  const aeKeys = (p: ComparedProtocol) => p.summary.scenarios.flatMap((s) => s.adverseEvents.map((a) => aeKey(s.name, a.term, a.arm))).filter(inCommon);
  const terms = noteUnmatched('adverse event', aeKeys, (k) => {
    const [scenario, term, arm] = k.split('\u0000');
    return `scenario ${scenario}: ${term} in ${arm}`;
  });
  const incidences = (p: ComparedProtocol, key: string): number[] => {
    const out: number[] = [];
    for (const r of p.records) for (const [term, arm, n, N] of r.adverseEvents) if (aeKey(r.scenario, term, arm) === key) out[r.replicate] = N ? n / N : 0;
    return out;
  };
  const safety: CompareSafetyRow[] = [];
  for (const k of aeKeys(ref).filter((x) => terms.has(x))) {
    const base = incidences(ref, k);
    protocols.forEach((p, i) => {
      const [scenario, term, arm] = k.split('\u0000') as [string, string, string];
      const a = p.summary.scenarios.find((x) => x.name === scenario)!.adverseEvents.find((x) => x.term === term && x.arm === arm)!;
      safety.push({ protocol: p.label, scenario, term, arm, meanIncidence: a.meanIncidence, incidence: i === 0 ? null : pairedDifference(base, incidences(p, k)) });
    });
  }
  return { reference: ref.label, protocols: protocols.map((p) => ({ label: p.label, file: p.file })), rows, trials, designs, safety, unmatched };
}

/** Per replicate of a scenario: the design's decision, and the patients, information and calendar day at the analysis that decided (NaN: not defined). */
function designValues(p: ComparedProtocol, scenario: string) {
  const out = { reject: [] as number[], patients: [] as number[], information: [] as number[], duration: [] as number[], looks: 0 };
  for (const r of p.records) {
    if (r.scenario !== scenario) continue;
    const q = r.sequential;
    if (q) {
      out.looks = q.lookDay.length;
      out.reject[r.replicate] = q.reject ? 1 : 0;
      out.patients[r.replicate] = q.patients;
      out.information[r.replicate] = q.information;
      out.duration[r.replicate] = q.day;
      continue;
    }
    // A fixed design: its first primary analysis (the one interim looks would test) at the study end.
    const e = r.efficacy.find((x) => x.role === 'primary');
    out.reject[r.replicate] = e?.reject ? 1 : 0;
    out.patients[r.replicate] = r.cutoff ? r.cutoff.entered : r.enrolled;
    out.information[r.replicate] = e && e.eventsArm !== null ? e.eventsArm + (e.eventsControl ?? 0) : NaN;
    out.duration[r.replicate] = r.cutoff ? r.cutoff.day : NaN;
  }
  return out;
}

/** The mean, or null when any value is NaN (the quantity is not defined for the design). */
function meanOrNull(xs: readonly number[]): number | null {
  let s = 0;
  for (const x of xs) {
    if (Number.isNaN(x)) return null;
    s += x;
  }
  return xs.length ? s / xs.length : null;
}

function compareDesigns(protocols: readonly ComparedProtocol[], scenarios: readonly string[]): CompareDesignRow[] {
  const rows: CompareDesignRow[] = [];
  for (const sc of scenarios) {
    const values = protocols.map((p) => designValues(p, sc));
    const base = values[0]!;
    protocols.forEach((p, i) => {
      const v = values[i]!;
      const R = v.reject.length;
      const reject = meanOrNull(v.reject) ?? NaN;
      const d = (f: 'reject' | 'patients' | 'information' | 'duration') => (i === 0 || meanOrNull(base[f]) === null || meanOrNull(v[f]) === null ? null : pairedDifference(base[f], v[f]));
      rows.push({
        protocol: p.label,
        scenario: sc,
        nullScenario: p.nullScenarios.has(sc),
        design: v.looks ? `group-sequential (${v.looks} looks)` : 'fixed',
        replicates: R,
        reject,
        rejectMcse: Math.sqrt((reject * (1 - reject)) / R),
        meanPatients: meanOrNull(v.patients),
        meanInformation: meanOrNull(v.information),
        meanDurationDays: meanOrNull(v.duration),
        rejectDiff: d('reject'),
        patientsDiff: d('patients'),
        informationDiff: d('information'),
        durationDiff: d('duration'),
      });
    });
  }
  return rows;
}
