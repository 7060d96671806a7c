/**
 * Group-sequential replicate runs: the expected patients randomised, information (events) and
 * calendar duration at the stop, per scenario, with ±1.96 Monte Carlo SE, beside the fixed design's
 * means on the same twins (the analysis at the study end) where the files give them.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';
import { OKABE_ITO } from '../palette.js';

export interface ExpectedValue {
  /** The quantity with its unit ("Patients randomised (patients)"). */
  measure: string;
  scenario: string;
  design: 'sequential' | 'fixed';
  value: number;
  /** Monte Carlo SE; NaN where none is drawn (the fixed design). */
  mcse: number;
}

const DESIGNS = ['sequential', 'fixed'] as const;

export function expectedChart(scenarios: readonly string[], measures: readonly string[], rows: readonly ExpectedValue[]): Chart {
  const designs = DESIGNS.filter((d) => rows.some((r) => r.design === d));
  const values = rows.map((r) => ({ measure: r.measure, scenario: r.scenario, design: r.design, value: r4(r.value), lower: Number.isFinite(r.mcse) ? r4(r.value - 1.96 * r.mcse) : null, upper: Number.isFinite(r.mcse) ? r4(r.value + 1.96 * r.mcse) : null, mcse: r4(r.mcse) }));
  const y = { field: 'scenario', type: 'nominal', title: null, sort: [...scenarios] };
  const yOffset = { field: 'design', type: 'nominal', sort: [...designs] };
  const color = { field: 'design', type: 'nominal', title: 'Design', scale: { domain: [...designs], range: [OKABE_ITO[0], '#999999'].slice(0, designs.length) }, legend: { orient: 'bottom' } };
  const x = { type: 'quantitative', title: 'Mean at the stop (fixed: at the study end)' };
  const fixed = designs.includes('fixed');
  const title = fixed ? 'Expected patients, information and duration: sequential against fixed design (±1.96 MC SE)' : 'Expected patients, information and duration at the stop (±1.96 MC SE)';
  const description = `Means over replicate trials of the patients randomised, the information (events, or patients observed) and the calendar duration at the stop of the group-sequential design, per scenario, with ±1.96 Monte Carlo standard errors${fixed ? ', beside the fixed design (the same twins analysed at the study end)' : ''}. ${rows.map((r) => `${r.scenario}, ${r.measure}, ${r.design}: ${fmt(r.value)}${Number.isFinite(r.mcse) ? ` (MC SE ${fmt(r.mcse)})` : ''}`).join('; ')}.`;
  return {
    id: 'sequential-expected',
    title,
    description,
    spec: vl(title, description, {
      data: { values },
      facet: { row: { field: 'measure', type: 'nominal', sort: [...measures], title: null, header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontSize: 12, labelLimit: 600 } } },
      resolve: { scale: { x: 'independent' } },
      spacing: { row: 12 },
      spec: {
        width: 420,
        height: { step: 14 },
        layer: [
          { mark: { type: 'bar', opacity: 0.8, height: { band: 0.85 } }, encoding: { y, yOffset, color, x: { field: 'value', ...x }, tooltip: [{ field: 'scenario' }, { field: 'measure' }, { field: 'design' }, { field: 'value' }, { field: 'mcse', title: 'MC SE' }] } },
          { transform: [{ filter: 'isValid(datum.lower)' }], mark: { type: 'rule', color: '#000', strokeWidth: 1.5 }, encoding: { y, yOffset, x: { field: 'lower', ...x }, x2: { field: 'upper' } } },
        ],
      },
    }),
  };
}
