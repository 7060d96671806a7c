/**
 * The analysis plan applied to ADaM data: efficacy and safety rows, as tables (efficacy.csv,
 * safety.csv) and as plain data for summary.json. Without an `analysis` section the default
 * plan analyses the first endpoint as primary and the others as secondary (Holm), with ANCOVA
 * on baseline for continuous endpoints, chi-square for responders and Cox for time to event.
 */
import type { Table } from '../util/table.js';
import { csvCell } from '../util/csv-cell.js';
import type { AnalysisItem, AnalysisPlan } from '../spec/analysis-schema.js';
import { PLAN_DEFAULTS } from '../spec/plan-defaults.js';
import type { EndpointRuntime, TrialModel } from '../trial/trial-model.js';
import type { AdamData } from './adam-data.js';
import { efficacy, type AnalysisRandom, type EfficacyRow } from './efficacy.js';
import { adamSource } from './adam-source.js';
import { defaultMethod } from '../methods/registry.js';
import { safety, type SafetyRow } from './safety.js';
import { TIPPING_POINT_COLUMNS, type TippingPointCsvRow } from './tipping-point.js';

export interface TrialAnalysis {
  plan: AnalysisPlan;
  efficacy: EfficacyRow[];
  safety: SafetyRow[];
  /** mi tipping-point analyses (tipping-point.csv; none without `tipping_point`). */
  tippingPoint: TippingPointCsvRow[];
}

/** The endpoint type's default method (the registry's first), adjusted for the baseline value where it adjusts and has one. */
function defaultItem(e: EndpointRuntime): AnalysisItem {
  const method = defaultMethod(e.kind);
  return { endpoint: e.id, method: method.id as AnalysisItem['method'], covariates: method.adjusts && e.kind === 'continuous' ? ['BASE'] : [], missing: 'exclude', ties: 'efron' };
}

export function defaultPlan(model: TrialModel): AnalysisPlan {
  const [first, ...rest] = model.endpoints;
  return { ...PLAN_DEFAULTS, multiplicity: { ...PLAN_DEFAULTS.multiplicity }, primary: first ? [defaultItem(first)] : [], secondary: rest.map(defaultItem), individual_effects: [] };
}

export function analyseTrial(model: TrialModel, plan: AnalysisPlan | undefined, data: AdamData, random?: AnalysisRandom): TrialAnalysis {
  const p = plan ?? defaultPlan(model);
  const tippingPoint: TippingPointCsvRow[] = [];
  return { plan: p, efficacy: efficacy(model, p, adamSource(model, data), random, tippingPoint), safety: safety(model, data), tippingPoint };
}

export const EFFICACY_COLUMNS: [string, keyof EfficacyRow][] = [
  ['endpoint', 'endpoint'],
  ['label', 'label'],
  ['role', 'role'],
  ['method', 'method'],
  ['covariates', 'covariates'],
  ['population', 'population'],
  ['arm', 'arm'],
  ['control', 'control'],
  ['n_arm', 'nArm'],
  ['n_control', 'nControl'],
  ['events_arm', 'eventsArm'],
  ['events_control', 'eventsControl'],
  ['measure', 'measure'],
  ['arm_summary', 'armSummary'],
  ['control_summary', 'controlSummary'],
  ['estimate', 'estimate'],
  ['se', 'se'],
  ['lower', 'lower'],
  ['upper', 'upper'],
  ['statistic', 'statistic'],
  ['p', 'p'],
  ['p_adjusted', 'pAdjusted'],
  ['alpha', 'alpha'],
  ['sided', 'sided'],
  ['reject', 'reject'],
  ['true_effect', 'trueEffect'],
  ['note', 'note'],
];
export const SAFETY_COLUMNS: [string, keyof SafetyRow][] = [
  ['category', 'category'],
  ['item', 'item'],
  ['arm', 'arm'],
  ['subjects', 'subjects'],
  ['n', 'n'],
  ['percent', 'percent'],
  ['risk_difference', 'riskDifference'],
  ['lower', 'lower'],
  ['upper', 'upper'],
];

const cell = csvCell;

export function analysisTables(a: TrialAnalysis): Table[] {
  return [
    { name: 'efficacy.csv', columns: EFFICACY_COLUMNS.map(([c]) => c), rows: a.efficacy.map((r) => EFFICACY_COLUMNS.map(([, k]) => cell(r[k]))) },
    { name: 'safety.csv', columns: SAFETY_COLUMNS.map(([c]) => c), rows: a.safety.map((r) => SAFETY_COLUMNS.map(([, k]) => cell(r[k]))) },
    ...(a.tippingPoint.length > 0 ? [{ name: 'tipping-point.csv', columns: TIPPING_POINT_COLUMNS.map(([c]) => c), rows: a.tippingPoint.map((r) => TIPPING_POINT_COLUMNS.map(([, k]) => cell(r[k]))) }] : []),
  ];
}
