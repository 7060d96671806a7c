/**
 * Compiles the analysis plan's `interim` (README "Interim analyses") into the sequential model of
 * the primary analysis, checking what the schema cannot: calendar time (accrual), one primary
 * comparison, the planned final information, looks in order and reachable before the study end,
 * fractions within (0, 1), one futility bound per interim look, the spending function's parameter.
 */
import type { AnalysisItem } from '../spec/analysis-schema.js';
import type { ProtocolSpec } from '../spec/protocol-schema.js';
import type { IssueList } from '../spec/spec-error.js';
import type { DesignType } from '../stats/group-sequential.js';
import { groupSequentialDesign } from '../stats/group-sequential.js';
import type { SequentialDesign } from '../stats/sequential-boundary.js';
import { conditionalPowerBound } from '../stats/conditional-power.js';
import type { InterimSpec } from '../spec/interim-schema.js';
import { uniroot } from '../stats/zeroin.js';

import { DAYS_PER_MONTH } from './accrual.js';

export type LookRule = { kind: 'information'; fraction: number } | { kind: 'events'; events: number } | { kind: 'calendar_day'; day: number };

export interface InterimModel {
  /** The interim looks (the final look is the study end). */
  looks: LookRule[];
  /** The primary analysis looked at (the plan's first primary item) and its endpoint's index. */
  item: AnalysisItem;
  endpoint: number;
  /** Information: events of the endpoint (time to event) or patients with the endpoint observed. */
  unit: 'events' | 'patients';
  /** The planned final information: the study end's events target, or enrolment.target patients. */
  plannedInformation: number;
  /** One-sided plans: the direction that favours the active arm (z > 0 favours it). */
  direction: 'decrease' | 'increase';
  design: SequentialDesign;
}

const SPENDING: Record<string, DesignType> = { of: 'asOF', pocock: 'asP', hsd: 'asHSD', kd: 'asKD', classical_of: 'OF', classical_pocock: 'P' };

/** @param accrual the protocol declares accrual (calendar time) */
export function compileInterim(spec: ProtocolSpec, accrual: boolean, issues: IssueList): InterimModel | undefined {
  const plan = spec.analysis;
  const it = plan?.interim;
  if (!plan || !it) return undefined;
  const at = ['analysis', 'interim'];
  const before = issues.items.length;
  if (!accrual) issues.add(at, 'needs accrual: interim looks are calendar days of the trial (add accrual: { duration_months: M } or { rate_per_month: [...] })');
  const item = plan.primary[0];
  if (!item) {
    issues.add(at, 'needs a primary analysis (analysis.primary): the looks test it');
    return undefined;
  }
  if (plan.primary.length > 1) issues.add(at, `applies to one primary analysis; found ${plan.primary.length} (keep the one to test sequentially in analysis.primary, move the others to analysis.secondary)`);
  const arms = spec.arms ?? [];
  const controls = arms.filter((a) => a.role === 'control').length;
  if (controls === 0 || arms.length - controls !== 1) issues.add(at, `needs one active arm against a control arm (found ${arms.length - controls} active, ${controls} control): the looks test one comparison`);
  const ei = spec.endpoints.findIndex((e) => e.id === item.endpoint);
  const endpoint = spec.endpoints[ei];
  if (!endpoint) return undefined; // the plan check names the unknown endpoint
  const tte = endpoint.type === 'time_to_event';
  const sided = item.sided ?? plan.sided;
  const alpha = item.alpha ?? plan.alpha;
  let planned = spec.enrolment.target;
  const end = spec.study_end;
  if (tte) {
    if (typeof end === 'object' && end !== null && 'events' in end && end.endpoint === endpoint.id) planned = end.events;
    else issues.add(at, `the primary endpoint ${endpoint.id} is time to event: its information is its events, so the study end must be event-driven on it (study_end: { events: E, endpoint: ${endpoint.id} }), the planned final information`);
  }
  const endDay = typeof end === 'object' && end !== null && 'calendar_day' in end ? end.calendar_day : Infinity;
  // With uniform accrual over a fixed period and a fixed follow-up, no trial runs past their sum.
  const lastEntry = spec.accrual && 'duration_months' in spec.accrual ? spec.accrual.duration_months * DAYS_PER_MONTH : Infinity;
  const lastFollowUp = spec.study?.duration_days !== undefined ? lastEntry + spec.study.duration_days : Infinity;
  // Looks in order (README "Interim analyses", "The order of the looks"): all on the information
  // scale (information and events looks compare: both count the primary endpoint's information)
  // or all calendar days, each strictly after the previous one in the units the run uses (an
  // information look is the ceil(F x planned)-th unit). A calendar day and an information look
  // cannot be ordered before the trial runs, so mixing them is an error, not a look skipped at run time.
  const unit = tte ? 'events' : 'patients';
  const calendar = (l: (typeof it.looks)[number]) => 'calendar_day' in l;
  const first = it.looks[0]!;
  const firstText = lookText(first);
  let lastInfo = 0;
  let lastDay = 0;
  it.looks.forEach((l, k) => {
    const p = [...at, 'looks', k];
    if (calendar(l) !== calendar(first)) {
      issues.add(p, `${lookText(l)} cannot be ordered against look 1 (${firstText}): a calendar day and an information or events look fall in an order known only when the trial runs; give every look as calendar_day, or every look as information or events`);
      return;
    }
    if ('information' in l) {
      if (!(l.information < 1)) {
        issues.add([...p, 'information'], `${l.information} is not an interim fraction: it must lie in (0, 1) (1 is the final analysis, the study end, which is not listed)`);
        return;
      }
      const info = informationUnits(l.information, planned);
      if (info >= planned) issues.add([...p, 'information'], `information ${l.information} falls on ${tte ? 'event' : 'patient'} ${info} of the ${planned} planned, the final analysis': an interim look must come before it`);
      else if (info <= lastInfo) issues.add([...p, 'information'], `looks out of order: information ${l.information} (${info} ${unit}) is not after the previous look's ${fmt(lastInfo)} ${unit}`);
      lastInfo = Math.max(lastInfo, info);
    } else if ('events' in l) {
      if (!tte) issues.add([...p, 'events'], `the primary endpoint ${endpoint.id} is not time to event: look by information (a fraction of the ${planned} patients) or by calendar_day`);
      else if (l.events >= planned) issues.add([...p, 'events'], `${l.events} events can never be an interim look: the study ends at ${planned} events (the final analysis)`);
      if (l.events <= lastInfo) issues.add([...p, 'events'], `looks out of order: ${l.events} events is not after the previous look's ${fmt(lastInfo)}`);
      lastInfo = Math.max(lastInfo, l.events);
    } else {
      if (l.calendar_day >= endDay) issues.add([...p, 'calendar_day'], `day ${l.calendar_day} can never be an interim look: the study ends on day ${endDay} (study_end.calendar_day)`);
      else if (l.calendar_day >= lastFollowUp) issues.add([...p, 'calendar_day'], `day ${l.calendar_day} can never be an interim look: the last patient enters by day ${fmt(lastEntry)} (accrual.duration_months) and is followed for ${spec.study!.duration_days} days (study.duration_days), so every trial has ended by day ${fmt(lastFollowUp)}`);
      if (l.calendar_day <= lastDay) issues.add([...p, 'calendar_day'], `looks out of order: day ${l.calendar_day} is not after the previous look's day ${lastDay}`);
      lastDay = l.calendar_day;
    }
  });
  const type = SPENDING[it.spending]!;
  if ((type === 'asHSD' || type === 'asKD') && it.gamma === undefined) issues.add([...at, 'gamma'], `spending ${it.spending} needs gamma (${type === 'asHSD' ? "Hwang-Shih-DeCani's gamma, e.g. -4" : "Kim-DeMets' rho, e.g. 3"})`);
  if (type === 'asKD' && it.gamma !== undefined && !(it.gamma > 0)) issues.add([...at, 'gamma'], `Kim-DeMets' rho must be > 0, found ${it.gamma}`);
  if (type !== 'asHSD' && type !== 'asKD' && it.gamma !== undefined) issues.add([...at, 'gamma'], `applies to spending hsd or kd only (spending is ${it.spending})`);
  if ((type === 'OF' || type === 'P') && it.looks.some((l) => 'calendar_day' in l)) issues.add([...at, 'spending'], `${it.spending} fixes its boundaries at planned information rates: look by information or events (or use spending of or pocock with calendar days)`);
  if (sided === 'one' && !(alpha < 0.5)) issues.add([...at], `a one-sided alpha must be below 0.5 (found ${alpha})`);
  const fut = it.futility;
  const fp = [...at, 'futility'];
  let theta: number | null = null;
  if (fut) {
    if (sided === 'two') issues.add(fp, 'futility bounds are for one-sided plans (set analysis.sided: one)');
    const cp = fut.conditional_power;
    if ((fut.bounds === undefined) === (cp === undefined)) issues.add(fp, 'expected either bounds (z scale, one per interim look) or conditional_power (a threshold in (0, 1)), not both or neither');
    if (fut.bounds && fut.bounds.length !== it.looks.length) issues.add([...fp, 'bounds'], `expected ${it.looks.length} bounds (one per interim look), found ${fut.bounds.length}`);
    if (cp !== undefined && !(cp > 0 && cp < 1)) issues.add([...fp, 'conditional_power'], `${cp} is not a conditional power threshold: it must lie in (0, 1), e.g. 0.1`);
    if (cp === undefined && fut.under !== undefined) issues.add([...fp, 'under'], 'applies to conditional_power futility only');
    if (cp !== undefined && it.looks.some((l) => 'calendar_day' in l)) issues.add([...fp, 'conditional_power'], 'turns into z bounds at planned information rates: look by information or events (not calendar_day)');
    const design = fut.under === 'design';
    for (const key of ['hazard_ratio', 'effect', 'sd'] as const) if (fut[key] !== undefined && !design) issues.add([...fp, key], 'is the design effect of conditional_power futility under: design (set under: design, or remove it)');
    if (design) theta = designDrift(spec, tte, endpoint.type, planned, item.direction ?? 'decrease', fut, fp, issues);
  }
  if (issues.items.length !== before) return undefined;
  const rates = [...it.looks.map((l) => ('information' in l ? l.information : 'events' in l ? l.events / planned : NaN)), 1];
  const design: SequentialDesign = { type, alpha, sided: sided === 'one' ? 1 : 2, futility: fut?.bounds ?? null, binding: fut?.binding ?? false, ...(it.gamma !== undefined ? { gamma: it.gamma } : {}) };
  if (fut?.conditional_power !== undefined) {
    const cp = conditionalPowerFutility(design, rates, fut.conditional_power, theta);
    if (typeof cp === 'string') {
      issues.add([...fp, 'conditional_power'], cp);
      return undefined;
    }
    design.futility = cp.bounds;
    design.conditionalPower = { threshold: fut.conditional_power, theta, finalCritical: cp.finalCritical };
  }
  if (type === 'OF' || type === 'P') {
    design.classical = groupSequentialDesign({ typeOfDesign: type, kMax: rates.length, alpha, sided: design.sided, informationRates: rates, ...(design.futility ? { futilityBounds: design.futility, bindingFutility: design.binding } : {}) }).criticalValues;
  }
  return {
    looks: it.looks.map((l): LookRule => ('information' in l ? { kind: 'information', fraction: l.information } : 'events' in l ? { kind: 'events', events: l.events } : { kind: 'calendar_day', day: l.calendar_day })),
    item,
    endpoint: ei,
    unit: tte ? 'events' : 'patients',
    plannedInformation: planned,
    direction: item.direction ?? 'decrease',
    design,
  };
}

/**
 * The drift theta (the mean of Z at the planned final information) of the design effect that
 * conditional power under: design assumes, with r the active arm's share of the two arms'
 * allocation: time to event theta = s ln(HR) sqrt(D r (1 - r)) (Schoenfeld, D the planned events);
 * continuous theta = s effect sqrt(n r (1 - r)) / sd (n the planned patients); s = -1 for
 * direction decrease, +1 for increase, so theta > 0 favours the active arm.
 */
function designDrift(spec: ProtocolSpec, tte: boolean, type: string, planned: number, direction: 'decrease' | 'increase', fut: NonNullable<InterimSpec['futility']>, at: (string | number)[], issues: IssueList): number | null {
  const arms = spec.arms ?? [];
  const active = arms.find((a) => a.role !== 'control')?.allocation ?? 1;
  const control = arms.find((a) => a.role === 'control')?.allocation ?? 1;
  const r = active / (active + control);
  const s = direction === 'decrease' ? -1 : 1;
  if (tte) {
    if (fut.effect !== undefined || fut.sd !== undefined) issues.add(at, 'the primary endpoint is time to event: give the design effect as hazard_ratio (not effect and sd)');
    if (fut.hazard_ratio === undefined) {
      issues.add(at, 'under: design needs the design effect: hazard_ratio (e.g. hazard_ratio: 0.75)');
      return null;
    }
    return s * Math.log(fut.hazard_ratio) * Math.sqrt(planned * r * (1 - r));
  }
  if (fut.hazard_ratio !== undefined) issues.add([...at, 'hazard_ratio'], 'applies to a time-to-event primary endpoint (give effect and sd)');
  if (type !== 'continuous') {
    issues.add([...at, 'under'], `design is available for time-to-event (hazard_ratio) and continuous (effect, sd) primary endpoints; this one is ${type}: use under: trend`);
    return null;
  }
  if (fut.effect === undefined || fut.sd === undefined) {
    issues.add(at, 'under: design needs the design effect: effect (active minus control) and sd (e.g. effect: -0.5, sd: 1.2)');
    return null;
  }
  return (s * fut.effect * Math.sqrt(planned * r * (1 - r))) / fut.sd;
}

/**
 * The z bounds a conditional-power threshold implies at the planned rates, with c_K the planned
 * final critical value. Binding bounds change c_K, which changes the bounds: c_K is then the fixed
 * point c = c_K(bounds(c)) (a root of a decreasing difference, found by uniroot).
 */
export function conditionalPowerFutility(d: SequentialDesign, rates: number[], threshold: number, theta: number | null): { bounds: number[]; finalCritical: number } | string {
  const K = rates.length;
  const base = { typeOfDesign: d.type, kMax: K, alpha: d.alpha, sided: d.sided, informationRates: rates, ...(d.gamma !== undefined ? { gammaA: d.gamma } : {}) };
  const boundsAt = (c: number) => rates.slice(0, -1).map((t) => conditionalPowerBound(threshold, t, c, theta));
  try {
    let c = groupSequentialDesign(base).criticalValues[K - 1]!;
    if (d.binding) {
      const gap = (x: number) => groupSequentialDesign({ ...base, futilityBounds: boundsAt(x), bindingFutility: true }).criticalValues[K - 1]! - x;
      c = uniroot(gap, c - 2, c, 1e-12);
    }
    const bounds = boundsAt(c);
    // Refuses bounds at or above an efficacy boundary (RangeError below).
    groupSequentialDesign({ ...base, futilityBounds: bounds, bindingFutility: d.binding });
    return { bounds, finalCritical: c };
  } catch (err) {
    if (!(err instanceof RangeError || (err instanceof Error && err.message.startsWith('uniroot')))) throw err;
    return `a threshold of ${threshold} implies z bounds the design cannot take (${err.message.replace(/^groupSequentialDesign: /, '')}): lower the threshold`;
  }
}

const fmt = (x: number): string => String(Math.round(x * 10) / 10);

/** The information units (events, or patients observed) by which an information look of fraction F is taken: the ceil(F x planned)-th. */
export function informationUnits(fraction: number, planned: number): number {
  return Math.ceil(fraction * planned - 1e-9);
}

const lookText = (l: InterimSpec['looks'][number]): string => ('information' in l ? `information ${l.information}` : 'events' in l ? `events ${l.events}` : `calendar_day ${l.calendar_day}`);
