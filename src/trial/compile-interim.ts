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
  // Looks in order: within each kind (events and fractions of events are comparable), planned times increase.
  let lastInfo = 0;
  let lastDay = 0;
  it.looks.forEach((l, k) => {
    const p = [...at, 'looks', k];
    if ('information' in l) {
      if (!(l.information < 1)) issues.add([...p, 'information'], `${l.information} is not an interim fraction: it must lie in (0, 1) (1 is the final analysis, the study end, which is not listed)`);
      const info = l.information * planned;
      if (info <= lastInfo) issues.add([...p, 'information'], `looks out of order: information ${l.information} (${fmt(info)} ${tte ? 'events' : 'patients'}) is not after the previous look's`);
      lastInfo = Math.max(lastInfo, info);
    } else if ('events' in l) {
      if (!tte) issues.add([...p, 'events'], `the primary endpoint ${endpoint.id} is not time to event: look by information (a fraction of the ${planned} patients) or by calendar_day`);
      else if (l.events >= planned) issues.add([...p, 'events'], `${l.events} events can never be an interim look: the study ends at ${planned} events (the final analysis)`);
      if (l.events <= lastInfo) issues.add([...p, 'events'], `looks out of order: ${l.events} events is not after the previous look's ${fmt(lastInfo)}`);
      lastInfo = Math.max(lastInfo, l.events);
    } else {
      if (l.calendar_day >= endDay) issues.add([...p, 'calendar_day'], `day ${l.calendar_day} can never be an interim look: the study ends on day ${endDay} (study_end.calendar_day)`);
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
  if (fut) {
    if (sided === 'two') issues.add([...at, 'futility'], 'futility bounds are for one-sided plans (set analysis.sided: one)');
    if (fut.bounds.length !== it.looks.length) issues.add([...at, 'futility', 'bounds'], `expected ${it.looks.length} bounds (one per interim look), found ${fut.bounds.length}`);
  }
  if (issues.items.length !== before) return undefined;
  const design: SequentialDesign = { type, alpha, sided: sided === 'one' ? 1 : 2, futility: fut ? fut.bounds : null, binding: fut?.binding ?? false, ...(it.gamma !== undefined ? { gamma: it.gamma } : {}) };
  if (type === 'OF' || type === 'P') {
    const rates = [...it.looks.map((l) => ('information' in l ? l.information : 'events' in l ? l.events / planned : NaN)), 1];
    design.classical = groupSequentialDesign({ typeOfDesign: type, kMax: rates.length, alpha, sided: design.sided, informationRates: rates, ...(fut ? { futilityBounds: fut.bounds, bindingFutility: fut.binding } : {}) }).criticalValues;
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

const fmt = (x: number): string => String(Math.round(x * 10) / 10);
