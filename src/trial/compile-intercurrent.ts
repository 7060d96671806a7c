/**
 * Compiles `intercurrent_events:` and checks every analysis item's `estimand:` and `post_ice:`
 * against it (README "Intercurrent events and estimands": the combinations that cannot be).
 */
import { resolveEstimand, ICE_TYPES, type IceType, type ModelledIces, type ResolvedEstimand } from '../spec/estimand.js';
import type { ProtocolSpec } from '../spec/protocol-schema.js';
import type { IssueList } from '../spec/spec-error.js';
import { closestName } from '../util/closest-name.js';
import type { IntercurrentModel, Visit } from './trial-model.js';

const REFERENCE_BASED = new Set(['jump_to_reference', 'copy_reference', 'copy_increments_in_reference']);

/** The visit index a name ("Week 12", any case) or day refers to; -1 when none. */
export function visitIndex(visits: readonly Visit[], ref: string | number): number {
  return visits.findIndex((x) => (typeof ref === 'number' ? x.day === ref : x.name.toLowerCase() === ref.toLowerCase()));
}

export function compileIntercurrent(spec: ProtocolSpec, visits: readonly Visit[], biomarkerIds: readonly string[], issues: IssueList): IntercurrentModel | undefined {
  const ice = spec.intercurrent_events;
  const modelled: ModelledIces = {
    discontinuation: (ice?.discontinuation.some((r) => r.per_year > 0) ?? false) || spec.adverse_events.some((a) => a.discontinuation_probability > 0),
    rescue: ice?.rescue !== undefined,
    death: (ice?.death?.per_year ?? 0) > 0 || spec.adverse_events.some((a) => (a.grade_probabilities[4] ?? 0) > 0),
  };
  let rescue: IntercurrentModel['rescue'];
  if (ice?.rescue) {
    const r = ice.rescue;
    const path = ['intercurrent_events', 'rescue'];
    const b = biomarkerIds.indexOf(r.biomarker);
    if (b < 0) {
      const hint = closestName(r.biomarker, biomarkerIds);
      issues.add([...path, 'biomarker'], `unknown biomarker "${r.biomarker}"${hint ? ` (did you mean "${hint}"?)` : ''}; biomarkers: ${biomarkerIds.join(', ') || '(none defined)'}`);
    }
    if ((r.above === undefined) === (r.below === undefined)) issues.add(path, 'rescue needs exactly one of "above" or "below" (the threshold the biomarker crosses)');
    let fromVisit = 1;
    if (r.from_visit !== undefined && visits.length > 0) {
      fromVisit = visitIndex(visits, r.from_visit);
      if (fromVisit < 0) issues.add([...path, 'from_visit'], `unknown visit ${JSON.stringify(r.from_visit)}; visits: ${visits.map((x) => x.name).join(', ')}`);
      else if (fromVisit === 0) issues.add([...path, 'from_visit'], 'rescue cannot start at baseline (the first visit after it, or later)');
    }
    if (b >= 0) rescue = { biomarker: b, above: r.above, below: r.below, fromVisit: Math.max(1, fromVisit), effect: r.effect, onsetHalfLife: r.onset_half_life_days };
  }

  // The analysis items' estimands.
  const estimands = new Map<string, ResolvedEstimand>();
  const analysed = new Map<string, Set<string>>();
  const endpointType = new Map(spec.endpoints.map((e) => [e.id, e.type]));
  for (const role of ['primary', 'secondary'] as const) {
    (spec.analysis?.[role] ?? []).forEach((item, i) => {
      const path = ['analysis', role, i];
      if (item.estimand === undefined) {
        if (item.post_ice !== undefined) issues.add([...path, 'post_ice'], 'applies to an analysis with an estimand (estimand: ...)');
        return;
      }
      if (!ice) return void issues.add([...path, 'estimand'], 'needs the protocol\'s intercurrent_events section (the events the estimand\'s strategies apply to; "intercurrent_events: {}" models only adverse-event discontinuation and deaths)');
      const est = resolveEstimand(item.estimand, item.post_ice, modelled);
      const at = (t: IceType) => (typeof item.estimand === 'string' ? [...path, 'estimand'] : [...path, 'estimand', t]);
      let ok = true;
      const bad = (p: (string | number)[], message: string) => {
        issues.add(p, message);
        ok = false;
      };
      if (typeof item.estimand !== 'string') {
        for (const t of ICE_TYPES) {
          if (item.estimand[t] !== undefined && !modelled[t]) bad([...path, 'estimand', t], unmodelledReason(t));
        }
      }
      const type = endpointType.get(item.endpoint);
      const withStrategy = (x: string) => ICE_TYPES.filter((t) => modelled[t] && est.strategies[t] === x);
      const composite = withStrategy('composite');
      if (composite.length > 0 && type === 'continuous') bad(typeof item.estimand === 'string' ? [...path, 'estimand'] : at(composite[0]!), `composite applies to responder and time-to-event endpoints (the event counts as failure); ${item.endpoint} is continuous: use hypothetical, treatment_policy or while_on_treatment`);
      if (modelled.death && est.strategies.death === 'treatment_policy') bad(at('death'), 'treatment_policy for death: no outcome exists after death; use hypothetical, composite or while_on_treatment (write estimand: { discontinuation: ..., rescue: ..., death: hypothetical })');
      const hypothetical = withStrategy('hypothetical');
      const post = item.post_ice;
      if (post !== undefined && typeof post !== 'string') {
        for (const t of ICE_TYPES) {
          const choice = post[t];
          if (choice === undefined) continue;
          if (!modelled[t]) bad([...path, 'post_ice', t], unmodelledReason(t));
          else if (est.strategies[t] !== 'treatment_policy') bad([...path, 'post_ice', t], `applies to an intercurrent event handled by treatment_policy (use or discard its later values); ${t} is ${est.strategies[t]}${est.strategies[t] === 'hypothetical' ? ' (its later values are always discarded)' : ''}`);
        }
      } else if (post === 'use' && hypothetical.length > 0) bad([...path, 'post_ice'], `post_ice: use keeps the values after ${hypothetical.map((t) => (t === 'death' ? 'death' : `the ${t}`)).join(' and ')}, which a hypothetical strategy excludes (the outcome had it not occurred); remove post_ice or choose treatment_policy`);
      else if (post !== undefined && withStrategy('treatment_policy').length === 0) {
        bad([...path, 'post_ice'], 'applies to intercurrent events handled by treatment_policy (use or discard their later values); this estimand has none');
      }
      if (item.method === 'mi' && REFERENCE_BASED.has(item.imputation ?? 'mar') && modelled.discontinuation && est.strategies.discontinuation === 'hypothetical') {
        bad([...path, 'imputation'], `${item.imputation} imputes an off-treatment course after discontinuation (a treatment-policy estimand), not the hypothetical one: use imputation: mar, or estimand: { discontinuation: treatment_policy } with post_ice: discard`);
      }
      if (!ok) return;
      if (!estimands.has(est.label)) estimands.set(est.label, est);
      (analysed.get(est.label) ?? analysed.set(est.label, new Set()).get(est.label)!).add(item.endpoint);
    });
  }
  if (!ice) return undefined;
  const list = [...estimands.values()];
  return {
    reasons: ice.discontinuation.map((r) => ({ reason: r.reason, perYear: r.per_year })),
    waningHalfLife: ice.off_treatment?.waning_half_life_days,
    retrieved: ice.retrieved,
    rescue,
    deathPerYear: ice.death?.per_year ?? 0,
    modelled,
    estimands: list,
    estimandEndpoints: list.map((e) => spec.endpoints.map((x) => x.id).filter((id) => analysed.get(e.label)!.has(id))),
    needsNoDiscontinuation: modelled.discontinuation && list.some((e) => e.strategies.discontinuation === 'hypothetical'),
    needsNoRescue: modelled.rescue && list.some((e) => e.strategies.rescue === 'hypothetical'),
  };
}

function unmodelledReason(t: IceType): string {
  if (t === 'rescue') return 'the protocol models no rescue medication (intercurrent_events.rescue): a strategy for it would change nothing';
  if (t === 'death') return 'the protocol models no deaths (intercurrent_events.death, or an adverse event with a grade 5 probability): a strategy for death would change nothing';
  return 'the protocol models no treatment discontinuation (intercurrent_events.discontinuation, or an adverse event with a discontinuation_probability): a strategy for it would change nothing';
}
