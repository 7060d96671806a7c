/**
 * Sweeps and comparisons of group-sequential designs: per point (or protocol) and scenario, the
 * design's rejection of the primary hypothesis (at any look; a fixed design at the study end) and
 * its expected patients randomised at the deciding analysis, each ± 1.96 Monte Carlo SE. The
 * power charts of a sweep or comparison are the analysis at the study end; these are the design's.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';

export interface DesignRow {
  /** The point's values or the protocol (and its design). */
  group: string;
  scenario: string;
  nullScenario: boolean;
  reject: number;
  rejectMcse: number;
  patients: number;
  /** NaN when not known (a fixed design's patients are its enrolment). */
  patientsMcse: number;
}

const Z = 1.959963984540054;
const band = (x: number, se: number): [number | null, number | null] => (Number.isFinite(se) ? [r4(x - Z * se), r4(x + Z * se)] : [null, null]);

export function designRejectionChart(id: string, title: string, groupTitle: string, groups: readonly string[], scenarios: readonly string[], rows: readonly DesignRow[]): Chart {
  const description = `${title}: per ${groupTitle} and scenario, the design's rejection of the primary hypothesis (power; the type I error under a null scenario) and the expected patients randomised at the deciding analysis, each with ± 1.96 Monte Carlo SE. ${rows.map((r) => `${r.group}, ${r.scenario}: rejection ${fmt(r.reject)} (MC SE ${fmt(r.rejectMcse)}), ${fmt(r.patients)} patients`).join('; ')}.`;
  const values = rows.map((r) => {
    const [rl, ru] = band(r.reject, r.rejectMcse);
    const [pl, pu] = band(r.patients, r.patientsMcse);
    return { group: r.group, scenario: r.scenario + (r.nullScenario ? ' (type I error)' : ''), reject: r4(r.reject), reject_mcse: r4(r.rejectMcse), reject_lower: rl === null ? null : Math.max(0, rl), reject_upper: ru === null ? null : Math.min(1, ru), patients: r4(r.patients), patients_mcse: r4(r.patientsMcse), patients_lower: pl, patients_upper: pu };
  });
  const scenarioLabels = [...new Set(values.map((v) => v.scenario))].sort((a, b) => scenarios.indexOf(a.replace(/ \(type I error\)$/, '')) - scenarios.indexOf(b.replace(/ \(type I error\)$/, '')));
  const y = { field: 'group', type: 'nominal', title: null, sort: [...groups], axis: { labelLimit: 500 } };
  const yOffset = { field: 'scenario', type: 'nominal', sort: scenarioLabels };
  const color = { field: 'scenario', type: 'nominal', title: 'Scenario', sort: scenarioLabels, legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 400 } };
  const tooltip = [{ field: 'group', title: groupTitle }, { field: 'scenario' }, { field: 'reject', title: 'rejection' }, { field: 'reject_mcse', title: 'MC SE' }, { field: 'patients', title: 'expected patients' }, { field: 'patients_mcse', title: 'MC SE (patients)' }];
  const panel = (field: string, xTitle: string, domain: number[] | null, yAxis: boolean) => {
    const yy = yAxis ? y : { ...y, axis: null };
    const x = { type: 'quantitative', title: xTitle, ...(domain ? { scale: { domain } } : { scale: { zero: false, padding: 10 } }) };
    return {
      width: 250,
      height: { step: 26 },
      layer: [
        // No interval bars where no row has an MC SE (a comparison's expected patients): an empty extent would warn.
        ...(values.some((v) => (v as Record<string, unknown>)[`${field}_lower`] !== null) ? [{ mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: yy, yOffset, color, x: { field: `${field}_lower`, ...x }, x2: { field: `${field}_upper` } } }] : []),
        { mark: { type: 'point', filled: true, size: 45 }, encoding: { y: yy, yOffset, color, x: { field, ...x }, tooltip } },
      ],
    };
  };
  return {
    id,
    title,
    description,
    spec: vl(title, description, {
      title: { text: title, subtitle: "the design's decision (group-sequential: at any look), not the analysis at the study end; bars: ± 1.96 MC SE" },
      data: { values },
      hconcat: [panel('reject', 'Rejection rate (power or type I error)', [0, 1], true), panel('patients', 'Expected patients randomised', null, false)],
      resolve: { scale: { y: 'shared' } },
    }),
  };
}
