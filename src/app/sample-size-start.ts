/**
 * The analytic first guess of a simulated sample-size search: the protocol's effect and noise
 * are not written anywhere as numbers (they come out of the twins), so a small pilot (the
 * protocol as it is, a few hundred replicates of the base scenario) reads them from the
 * replicate records, and the analytic formula of `vtrial sample-size` (src/app/sample-size-
 * command.ts) turns them into a size:
 *
 * - a difference in means (pooled_t_test, welch_t_test, ancova, mmrm, mi): delta = the mean true
 *   effect of the pilot replicates, sd = sqrt(mean se^2) / sqrt(1/n1 + 1/n2) (for ANCOVA the
 *   residual SD, which is what its size depends on); the t test's n (power.t.test), or with
 *   analysis.interim the group-sequential maximum size (getSampleSizeMeans);
 * - a hazard ratio (logrank, cox): HR = the geometric mean true effect; Schoenfeld's events (or the
 *   group-sequential maximum events); searching enrolment.target, patients = events / (events per
 *   patient in the pilot), which holds when follow-up does not depend on N (a fixed study
 *   duration); searching study_end.events, the events themselves.
 *
 * Anything else (several analyses in the criterion, proportions, other paths, an event-driven
 * study end while searching enrolment.target) has no guess, and the search starts from the
 * protocol's value. Pure: records in, numbers out.
 */
import { sampleSizeCommand, type SampleSizeRequest, type SequentialRequest } from './sample-size-command.js';
import type { ReplicateRecord } from '../replicates/replicate.js';
import type { ResolvedProtocolSpec } from '../io/load-specs.js';
import type { SuccessCriterion } from '../design/sample-size-criterion.js';

const MEANS_METHODS = new Set(['pooled_t_test', 'welch_t_test', 'ancova', 'mmrm', 'mi']);
const SURVIVAL_METHODS = new Set(['logrank', 'cox']);

export interface AnalyticStart {
  mode: 'means' | 'survival';
  /** The pilot: the protocol's value of the path, its replicates, and what they read. */
  pilot: { n: number; replicates: number; delta?: number; sd?: number; hazardRatio?: number; eventsPerPatient?: number };
  /** The analytic size (patients or events, not rounded) and the path's value it gives. */
  analytic: number;
  n: number;
}

/** The one analysis the criterion rests on, or why there is none. */
function criterionAnalysis(spec: ResolvedProtocolSpec, c: SuccessCriterion) {
  const plan = spec.analysis;
  if (!plan) return 'the protocol has no analysis plan';
  if (c.kind === 'analysis') {
    const items = [...plan.primary, ...plan.secondary].filter((i) => i.endpoint === c.endpoint && (c.method === undefined || i.method === c.method));
    return items.length === 1 ? items[0]! : `--analysis ${c.endpoint}${c.method ? `:${c.method}` : ''} matches ${items.length} analyses`;
  }
  return plan.primary.length === 1 ? plan.primary[0]! : `the criterion rests on ${plan.primary.length} primary analyses`;
}

/** The plan's interim looks as the analytic design's (information looks as given; other looks equally spaced). */
function sequentialOf(spec: ResolvedProtocolSpec): SequentialRequest | undefined {
  const im = spec.analysis?.interim;
  if (!im) return undefined;
  const fractions = im.looks.map((l) => ('information' in l ? l.information : null));
  const information = fractions.every((f): f is number => f !== null) ? [...fractions, 1] : undefined;
  const spending = ({ classical_of: 'classical-of', classical_pocock: 'classical-pocock' } as Record<string, SequentialRequest['spending']>)[im.spending] ?? (im.spending as SequentialRequest['spending']);
  return { looks: im.looks.length + 1, information, spending, gamma: im.gamma, futility: im.futility?.bounds, binding: im.futility?.binding ?? false };
}

/** Why the protocol and path have no analytic guess (so no pilot is run), or null. */
export function noAnalyticStart(spec: ResolvedProtocolSpec, path: string, c: SuccessCriterion): string | null {
  const item = criterionAnalysis(spec, c);
  if (typeof item === 'string') return item;
  const eventDriven = typeof spec.study_end === 'object' && 'events' in spec.study_end;
  if (MEANS_METHODS.has(item.method) && path === 'enrolment.target') return null;
  if (SURVIVAL_METHODS.has(item.method) && (path === 'study_end.events' || (path === 'enrolment.target' && !eventDriven))) return null;
  return `no analytic formula for ${item.method} when searching ${path}${eventDriven ? ' with an event-driven study end' : ''}`;
}

export function analyticStart(spec: ResolvedProtocolSpec, path: string, c: SuccessCriterion, records: readonly ReplicateRecord[], n0: number, power: number): AnalyticStart | { reason: string } {
  const item = criterionAnalysis(spec, c);
  if (typeof item === 'string') return { reason: item };
  const found = records.filter((r) => r.scenario === 'base').map((r) => r.efficacy.find((e) => e.endpoint === item.endpoint && e.method === item.method && e.covariates === item.covariates.join('+')));
  const rows = found.filter((e): e is NonNullable<typeof e> => e !== undefined && e.trueEffect !== null);
  if (rows.length === 0 || rows.length !== found.length) return { reason: 'the pilot replicates have no true effect for the analysis' };
  const plan = spec.analysis!;
  const sided = (item.sided ?? plan.sided) === 'one' ? 1 : 2;
  const base = { alpha: item.alpha ?? plan.alpha, sided, allocation: 1, target: { power }, sequential: sequentialOf(spec) } as const;
  const mean = (xs: number[]) => xs.reduce((t, x) => t + x, 0) / xs.length;
  const eventDriven = typeof spec.study_end === 'object' && 'events' in spec.study_end;
  if (MEANS_METHODS.has(item.method) && path === 'enrolment.target') {
    const delta = mean(rows.map((e) => e.trueEffect!));
    const ses = rows.map((e) => e.se).filter((s): s is number => s !== null);
    if (ses.length === 0 || delta === 0) return { reason: 'the pilot has no standard errors or no effect' };
    // Randomised patients per replicate, split as the arms' shares (1:1 for two arms).
    const enrolled = mean(records.filter((r) => r.scenario === 'base').map((r) => r.enrolled));
    const sd = Math.sqrt(mean(ses.map((s) => s * s))) / Math.sqrt(4 / enrolled);
    const request: SampleSizeRequest = { ...base, effect: { kind: 'means', delta: Math.abs(delta), sd, deflate: 1, covariates: 1 } };
    const r = sampleSizeCommand(request);
    const analytic = r.sequential ? r.sequential.maxSize : r.rows[0]!.n!;
    return { mode: 'means', pilot: { n: n0, replicates: rows.length, delta, sd }, analytic, n: analytic };
  }
  if (SURVIVAL_METHODS.has(item.method) && (path === 'study_end.events' || (path === 'enrolment.target' && !eventDriven))) {
    const hazardRatio = Math.exp(mean(rows.map((e) => Math.log(e.trueEffect!))));
    if (!(hazardRatio > 0) || hazardRatio === 1) return { reason: 'the pilot has no hazard ratio away from 1' };
    const request: SampleSizeRequest = { ...base, effect: { kind: 'survival', hazardRatio } };
    const r = sampleSizeCommand(request);
    const events = r.sequential ? r.sequential.maxSize : r.rows[0]!.events!;
    if (path === 'study_end.events') return { mode: 'survival', pilot: { n: n0, replicates: rows.length, hazardRatio }, analytic: events, n: events };
    const enrolled = mean(records.filter((r) => r.scenario === 'base').map((r) => r.enrolled));
    const eventsPerPatient = mean(rows.map((e) => (e.eventsArm ?? 0) + (e.eventsControl ?? 0))) / enrolled;
    if (!(eventsPerPatient > 0)) return { reason: 'no events in the pilot' };
    return { mode: 'survival', pilot: { n: n0, replicates: rows.length, hazardRatio, eventsPerPatient }, analytic: events, n: events / eventsPerPatient };
  }
  return { reason: `no analytic formula for ${item.method} when searching ${path}${eventDriven ? ' with an event-driven study end' : ''}` };
}
