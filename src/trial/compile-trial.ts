/**
 * Compiles the trial sections of a protocol (arms, randomisation, study, visits, models,
 * endpoints, adverse events, dropout) against the cohort's covariates, checking every cross
 * reference: visits within the study, endpoints naming known visits and biomarkers, drug
 * routes having the PK parameters they need, hazard ratios naming arms, formulas compiling.
 */
import { compileExpression, type Row, type Scope } from '../expr/compile.js';
import type { ProtocolSpec } from '../spec/protocol-schema.js';
import { IssueList, type SpecIssue, type SpecPath } from '../spec/spec-error.js';
import { closestName } from '../util/closest-name.js';
import { checkAnalysisPlan } from '../spec/check-plan.js';
import type { AeRuntime, ArmModel, BiomarkerRuntime, EndpointRuntime, TrialModel, Visit } from './trial-model.js';
import { makeVisit, scheduleDays } from './visits.js';
import { overLimit, resolveLimits } from '../spec/limits.js';
import { compileCalendar } from './compile-calendar.js';
import { compileInterim } from './compile-interim.js';
import { compileIntercurrent } from './compile-intercurrent.js';

/** The default ADaM parameter code of an id: in capitals, cut to 8 characters. */
export function defaultParamcd(id: string): string {
  return id.toUpperCase().slice(0, 8);
}

/**
 * Assigns parameter codes, one per item, and reports a code two items share (naming both):
 * analyses find an endpoint's rows by its code, so a shared code would mix two endpoints' data.
 */
function uniqueParamcds(items: { id: string; paramcd?: string; at: SpecPath }[], what: string, issues: IssueList): string[] {
  const seen = new Map<string, string>();
  return items.map((it) => {
    const code = it.paramcd ?? defaultParamcd(it.id);
    const other = seen.get(code);
    if (other !== undefined) {
      issues.add(it.at, `${what} "${it.id}" would have the parameter code ${code} of ${what} "${other}" (a code is the id in capitals cut to 8 characters): give one of them a distinct paramcd (1 to 8 capital letters, digits or _)`);
    } else seen.set(code, it.id);
    return code;
  });
}

export type TrialCompileResult = { ok: true; model: TrialModel } | { ok: false; issues: SpecIssue[] };

function numericFormula(text: string, scope: Scope, path: SpecPath, issues: IssueList): ((row: Row) => number) | null {
  try {
    const c = compileExpression(text, scope);
    if (c.type.kind !== 'number') throw new Error(`expected a number, found ${c.type.kind === 'boolean' ? 'true/false' : 'a category'}`);
    return c.evaluate as (row: Row) => number;
  } catch (err) {
    issues.add(path, (err as Error).message);
    return null;
  }
}

export function compileTrial(spec: ProtocolSpec, scope: Scope): TrialCompileResult {
  const issues = new IssueList();
  if (!spec.arms) return { ok: false, issues: [{ path: ['arms'], message: 'is required to simulate a trial (a list of arms with their treatments)' }] };
  if (!spec.study) issues.add(['study'], 'is required to simulate a trial (study.duration_days)');
  if (!spec.visits) issues.add(['visits'], 'is required to simulate a trial (every_days, or a list of days)');
  const limits = resolveLimits(spec.limits);
  const duration = spec.study?.duration_days ?? 0;
  const durationOk = duration <= limits.max_duration_days;
  if (!durationOk) issues.add(['study', 'duration_days'], overLimit('max_duration_days', limits, duration));

  // Visits (their number is checked before the schedule is built: it could be astronomical).
  let visits: Visit[] = [];
  let visitCount = 0;
  if (spec.visits) {
    const v = spec.visits;
    if ('days' in v) visitCount = new Set([0, ...v.days]).size;
    else visitCount = Math.floor((v.until_day ?? (durationOk ? duration : 0)) / v.every_days) + 1;
    if (visitCount > limits.max_visits) {
      const path = 'days' in v ? ['visits', 'days'] : ['visits', 'every_days'];
      issues.add(path, overLimit('max_visits', limits, visitCount, `a schedule of ${visitCount > 1e12 ? `about ${visitCount.toExponential(2)}` : visitCount} visits`));
    }
  }
  if (spec.visits && spec.study && durationOk && visitCount <= limits.max_visits) {
    const days = scheduleDays(spec.visits, duration);
    days.forEach((d, i) => {
      if (d > duration) issues.add('days' in spec.visits! ? ['visits', 'days', spec.visits!.days.indexOf(d)] : ['visits', 'until_day'], `visit day ${d} is after the end of the study (study.duration_days = ${duration})`);
      if (i > 0 && d === days[i - 1]) issues.add(['visits'], `day ${d} is listed twice`);
    });
    visits = days.filter((d) => d <= duration).map(makeVisit);
  }

  // Arms and regimens.
  const armIds = spec.arms.map((a) => a.id);
  const arms: ArmModel[] = spec.arms.map((a, i) => {
    const path = ['arms', i];
    if (armIds.indexOf(a.id) !== i) issues.add([...path, 'id'], `arm id "${a.id}" is used twice`);
    const arm: ArmModel = { id: a.id, label: a.label ?? a.id, role: a.role, allocation: a.allocation };
    const t = a.treatment;
    if (t.type !== 'drug') return arm;
    const tp = [...path, 'treatment'];
    if (!spec.pk) issues.add(tp, 'a drug arm needs a PK model (the protocol has no "pk" section)');
    const absorbed = t.route === 'oral' || t.route === 'subcutaneous';
    if (absorbed && spec.pk && !spec.pk.ka) issues.add(['pk', 'ka'], `is required: arm "${a.id}" is dosed ${t.route} (first-order absorption)`);
    if (t.route === 'iv_infusion' && t.infusion_hours === undefined) issues.add([...tp, 'infusion_hours'], 'is required for an iv_infusion');
    if (t.route !== 'iv_infusion' && t.infusion_hours !== undefined) issues.add([...tp, 'infusion_hours'], `applies only to iv_infusion (the route is ${t.route})`);
    const infusionDays = (t.infusion_hours ?? 0) / 24;
    if (infusionDays > t.interval_days) issues.add([...tp, 'infusion_hours'], `an infusion of ${t.infusion_hours} h is longer than the dosing interval (${t.interval_days} days)`);
    if (spec.study && t.start_day >= duration) issues.add([...tp, 'start_day'], `dosing starts on day ${t.start_day}, not before the end of the study (day ${duration})`);
    const inStudy = Math.max(1, Math.ceil((duration - t.start_day) / t.interval_days - 1e-12));
    const count = Math.min(t.doses ?? Infinity, inStudy);
    const f = absorbed ? (spec.pk?.bioavailability ?? 1) : 1;
    arm.drug = {
      dose: t.dose,
      unit: t.unit,
      route: t.route,
      absorbed,
      regimen: { dose: t.dose * f, start: t.start_day, interval: t.interval_days, count, input: t.route === 'iv_infusion' ? { kind: 'infusion', duration: infusionDays } : { kind: 'instant' } },
    };
    return arm;
  });

  // External control twins (synthetic or hybrid control arm).
  const ca = spec.control_arm;
  const controlIndex = arms.findIndex((a) => a.role === 'control');
  let externalControl: TrialModel['externalControl'];
  if (ca && ca.mode !== 'concurrent') {
    if (controlIndex < 0) issues.add(['control_arm', 'mode'], `a ${ca.mode} control arm needs an arm with role: control`);
    else {
      const firstActive = arms.find((a) => a.role === 'active');
      const total = arms.reduce((s, a) => s + a.allocation, 0);
      const randomisedTotal = ca.mode === 'synthetic' ? total - arms[controlIndex]!.allocation : total;
      const activeSize = firstActive ? (spec.enrolment.target * firstActive.allocation) / randomisedTotal : 0;
      const concurrent = ca.mode === 'synthetic' ? 0 : (spec.enrolment.target * arms[controlIndex]!.allocation) / total;
      const n = ca.external_n ?? Math.round(activeSize - concurrent);
      if (n < 1) issues.add(['control_arm', 'external_n'], `the default top-up is ${n} external twins: reduce the control arm's allocation or give external_n`);
      externalControl = { mode: ca.mode, n, cohortFile: ca.external_cohort ?? spec.cohort ?? '' };
    }
  }

  // Randomisation (a synthetic control arm takes no randomised patients).
  const randomisedArms = externalControl?.mode === 'synthetic' ? arms.map((a, i) => (i === controlIndex ? 0 : a.allocation)) : arms.map((a) => a.allocation);
  const unit = randomisedArms.reduce((s, a) => s + a, 0);
  const blockSize = spec.randomisation?.block_size ?? 2 * unit;
  if (blockSize > limits.max_block_size) {
    const explicit = spec.randomisation?.block_size !== undefined;
    issues.add(explicit ? ['randomisation', 'block_size'] : ['arms'], overLimit('max_block_size', limits, blockSize, explicit ? undefined : `a block of ${blockSize} (twice the sum of the allocation weights)`));
  } else if (blockSize % unit !== 0) issues.add(['randomisation', 'block_size'], `must be a multiple of the sum of the allocation weights (${unit}), found ${blockSize}`);
  const stratifyBy = spec.randomisation?.stratify_by ?? [];
  stratifyBy.forEach((s, i) => {
    const t = scope.get(s);
    if (!t || t.kind !== 'categorical') issues.add(['randomisation', 'stratify_by', i], `"${s}" is not a categorical covariate of the cohort`);
  });

  // PK.
  if (spec.pk) {
    const pk = spec.pk;
    if (pk.compartments === 2 && (!pk.q || !pk.v2)) issues.add(['pk'], 'a two-compartment model needs q and v2');
    if (pk.compartments === 1 && (pk.q || pk.v2)) issues.add(['pk'], 'q and v2 belong to a two-compartment model (compartments: 2)');
    pk.covariate_effects.forEach((e, i) => {
      const t = scope.get(e.covariate);
      if (!t || t.kind !== 'number') issues.add(['pk', 'covariate_effects', i, 'covariate'], `"${e.covariate}" is not a numeric covariate of the cohort`);
      if (!pk[e.parameter]) issues.add(['pk', 'covariate_effects', i, 'parameter'], `the model has no parameter ${e.parameter}`);
    });
  }

  // Biomarkers.
  const biomarkerIds = Object.keys(spec.biomarkers);
  const biomarkerCodes = uniqueParamcds(Object.entries(spec.biomarkers).map(([id, b]) => ({ id, paramcd: b.paramcd, at: b.paramcd ? ['biomarkers', id, 'paramcd'] : ['biomarkers', id] })), 'biomarker', issues);
  const biomarkers: BiomarkerRuntime[] = [];
  for (const [bi, [id, b]] of Object.entries(spec.biomarkers).entries()) {
    const path = ['biomarkers', id];
    const baseline = numericFormula(b.baseline, scope, [...path, 'baseline'], issues);
    if (b.drug_effect) {
      if (!spec.pk) issues.add([...path, 'drug_effect'], 'needs a PK model (the protocol has no "pk" section)');
      if (b.drug_effect.model === 'sigmoid_emax' && b.drug_effect.hill === undefined) issues.add([...path, 'drug_effect', 'hill'], 'is required for a sigmoid_emax model');
      if (b.drug_effect.model === 'emax' && b.drug_effect.hill !== undefined && b.drug_effect.hill !== 1) issues.add([...path, 'drug_effect', 'hill'], 'applies to model: sigmoid_emax (the emax model has hill 1)');
    }
    if (!baseline) continue;
    biomarkers.push({
      id,
      paramcd: biomarkerCodes[bi]!,
      label: b.label ?? id,
      unit: b.unit,
      baseline,
      baselineFormula: b.baseline,
      course: { progression: b.progression, placebo: b.placebo_response },
      drugEffect: b.drug_effect ? { ...b.drug_effect, hill: b.drug_effect.hill ?? 1 } : undefined,
      interceptSd: b.random_effects?.intercept_sd ?? 0,
      slopeSdPerYear: b.random_effects?.slope_sd_per_year ?? 0,
      residualSd: b.residual_sd,
    });
  }

  // Endpoints.
  const endpointIds = new Set<string>();
  const endpoints: EndpointRuntime[] = [];
  const tteCodes = new Map<number, string>();
  const tte = spec.endpoints.flatMap((e, i) => (e.type === 'time_to_event' ? [{ i, id: e.id, paramcd: e.paramcd, at: e.paramcd ? ['endpoints', i, 'paramcd'] : ['endpoints', i, 'id'] }] : []));
  uniqueParamcds(tte, 'endpoint', issues).forEach((code, k) => tteCodes.set(tte[k]!.i, code));
  spec.endpoints.forEach((e, i) => {
    const path = ['endpoints', i];
    if (endpointIds.has(e.id)) issues.add([...path, 'id'], `endpoint id "${e.id}" is used twice`);
    endpointIds.add(e.id);
    const label = e.label ?? e.id;
    if (e.type === 'time_to_event') {
      const predictor = e.covariates ? numericFormula(e.covariates, scope, [...path, 'covariates'], issues) : () => 0;
      for (const armId of Object.keys(e.hazard_ratio)) {
        if (!armIds.includes(armId)) {
          const hint = closestName(armId, armIds);
          issues.add([...path, 'hazard_ratio', armId], `"${armId}" is not an arm${hint ? ` (did you mean "${hint}"?)` : ''}; arms: ${armIds.join(', ')}`, true);
        }
      }
      if (e.exposure && !spec.pk) issues.add([...path, 'exposure'], 'needs a PK model (the protocol has no "pk" section)');
      if (predictor) {
        endpoints.push({
          id: e.id,
          label,
          kind: 'time_to_event',
          paramcd: tteCodes.get(i)!,
          event: e.event,
          baselineHazard: e.baseline_hazard,
          predictor,
          predictorFormula: e.covariates ?? '',
          logHr: arms.map((a) => Math.log((Object.hasOwn(e.hazard_ratio, a.id) ? e.hazard_ratio[a.id] : undefined) ?? 1)),
          exposure: e.exposure ? { driver: e.exposure.driver, coef: e.exposure.log_hr_per_unit } : undefined,
        });
      }
      return;
    }
    const b = biomarkerIds.indexOf(e.biomarker);
    if (b < 0) {
      const hint = closestName(e.biomarker, biomarkerIds);
      issues.add([...path, 'biomarker'], `unknown biomarker "${e.biomarker}"${hint ? ` (did you mean "${hint}"?)` : ''}; biomarkers: ${biomarkerIds.join(', ') || '(none defined)'}`);
    }
    const v = visits.findIndex((x) => (typeof e.visit === 'number' ? x.day === e.visit : x.name.toLowerCase() === e.visit.toLowerCase()));
    if (v < 0 && visits.length > 0) {
      issues.add([...path, 'visit'], `unknown visit ${JSON.stringify(e.visit)}; visits: ${visits.map((x) => x.name).join(', ')}`);
    }
    if (e.type === 'responder' && (e.below === undefined) === (e.above === undefined)) {
      issues.add(path, 'a responder endpoint needs exactly one of "below" or "above" (the threshold)');
    }
    if (b < 0 || v < 0) return;
    const bi = biomarkers.findIndex((x) => x.id === e.biomarker);
    if (e.type === 'continuous') endpoints.push({ id: e.id, label, kind: 'continuous', biomarker: bi, visit: v, measure: e.measure });
    else endpoints.push({ id: e.id, label, kind: 'responder', biomarker: bi, visit: v, measure: e.measure, below: e.below, above: e.above });
  });

  // Adverse events.
  const terms = new Set<string>();
  const adverseEvents: AeRuntime[] = spec.adverse_events.map((ae, i) => {
    const path = ['adverse_events', i];
    if (terms.has(ae.term)) issues.add([...path, 'term'], `"${ae.term}" is listed twice`);
    terms.add(ae.term);
    const sum = ae.grade_probabilities.reduce((s, p) => s + p, 0);
    if (Math.abs(sum - 1) > 1e-6) issues.add([...path, 'grade_probabilities'], `probabilities must sum to 1, found ${sum}`);
    if (ae.drug && ae.drug.model !== 'constant' && !spec.pk) issues.add([...path, 'drug'], 'an exposure-dependent rate needs a PK model (the protocol has no "pk" section)');
    let acc = 0;
    return {
      term: ae.term,
      bodySystem: ae.body_system,
      backgroundPerYear: ae.background_per_year,
      shape: ae.onset_shape,
      gradeCumulative: ae.grade_probabilities.map((p) => (acc += p / sum)),
      seriousProbability: ae.serious_probability,
      discontinuationProbability: ae.discontinuation_probability,
      drug: ae.drug,
    };
  });

  // Sizes: external twins, simulated patient-visits, prognostic Monte Carlo draws.
  if (ca?.external_n !== undefined && ca.external_n > limits.max_enrolled) issues.add(['control_arm', 'external_n'], overLimit('max_enrolled', limits, ca.external_n));
  const twins = spec.enrolment.target + (externalControl?.n ?? 0);
  const patientVisits = twins * visits.length * arms.length;
  if (patientVisits > limits.max_patient_visits) {
    issues.add(['enrolment', 'target'], overLimit('max_patient_visits', limits, patientVisits, `${twins} twins x ${visits.length} visits x ${arms.length} arms = ${patientVisits} patient-visits`));
  }
  const draws = spec.prognostic_score?.draws;
  if (draws !== undefined && draws > limits.max_prognostic_draws) issues.add(['prognostic_score', 'draws'], overLimit('max_prognostic_draws', limits, draws));

  const calendar = compileCalendar(spec, limits, issues);
  const interim = compileInterim(spec, spec.accrual !== undefined, issues);
  const intercurrent = compileIntercurrent(spec, visits, biomarkerIds, issues);

  if (spec.analysis) checkAnalysisPlan(spec.analysis, spec.endpoints, scope, issues, spec.prognostic_score?.endpoint, (id) => {
    const x = endpoints.find((y) => y.id === id);
    return x && x.kind !== 'time_to_event' ? x.visit : undefined;
  }, spec.arms);

  if (!issues.ok) return { ok: false, issues: issues.items };
  return {
    ok: true,
    model: {
      name: spec.name,
      durationDays: duration,
      visits,
      arms,
      blockSize,
      stratifyBy,
      pk: spec.pk,
      biomarkers,
      endpoints,
      adverseEvents,
      dropout: { backgroundPerYear: spec.dropout?.background_per_year ?? 0, afterDiscontinuationPerYear: spec.dropout?.after_discontinuation_per_year ?? 0 },
      externalControl,
      ...(calendar ? { calendar } : {}),
      ...(interim ? { interim } : {}),
      ...(intercurrent ? { intercurrent } : {}),
    },
  };
}
