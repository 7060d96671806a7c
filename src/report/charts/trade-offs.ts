/**
 * Enrolment-criteria trade-offs (`vtrial screen --trade-offs --replicates`): what each variant
 * (a criterion removed, its thresholds moved) costs in screening, beside the protocol as written:
 * the change in the screen-failure rate and the twins screened per enrolled. What it buys (power)
 * is drawn with the paired-differences chart.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';
import { OKABE_ITO } from '../palette.js';

export interface ScreeningCost {
  variant: string;
  screenFailureRate: number;
  screenedPerEnrolled: number;
}

export function screeningCostChart(scenario: string, asWritten: ScreeningCost, rows: readonly ScreeningCost[]): Chart {
  const title = 'Screening cost of each enrolment-criteria variant';
  const subtitle = `scenario ${scenario}; bars: change in screen failure from the protocol as written; points: twins screened per enrolled (dashed: as written, ${fmt(asWritten.screenedPerEnrolled)})`;
  const values = rows.map((r) => ({
    variant: r.variant,
    screen_failure_rate: r4(r.screenFailureRate),
    change_pp: r4(100 * (r.screenFailureRate - asWritten.screenFailureRate)),
    screened_per_enrolled: r4(r.screenedPerEnrolled),
  }));
  const description = `${title} (scenario ${scenario}, mean over the replicates): the screen-failure rate's change from the protocol as written (${fmt(100 * asWritten.screenFailureRate)}%), in percentage points, and the twins screened per enrolled twin. ${rows.map((r) => `${r.variant}: screen failure ${fmt(100 * r.screenFailureRate)}% (${fmt(100 * (r.screenFailureRate - asWritten.screenFailureRate))} points), ${fmt(r.screenedPerEnrolled)} screened per enrolled`).join('; ')}.`;
  const order = rows.map((r) => r.variant);
  const y = { field: 'variant', type: 'nominal', title: null, sort: order, axis: { labelLimit: 420 } };
  const tooltip = [{ field: 'variant' }, { field: 'screen_failure_rate', title: 'screen failure rate' }, { field: 'change_pp', title: 'change (points)' }, { field: 'screened_per_enrolled', title: 'screened per enrolled' }];
  return {
    id: 'trade-offs-screening',
    title,
    description,
    spec: vl(title, description, {
      title: { text: title, subtitle },
      data: { values },
      hconcat: [
        {
          width: 260,
          height: { step: 16 },
          layer: [
            { mark: { type: 'bar', color: OKABE_ITO[0] }, encoding: { y, x: { field: 'change_pp', type: 'quantitative', title: 'Screen failure vs as written (percentage points)' }, tooltip } },
            { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#555' }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
          ],
        },
        {
          width: 220,
          height: { step: 16 },
          layer: [
            { mark: { type: 'point', filled: true, size: 50, color: OKABE_ITO[1] }, encoding: { y: { ...y, axis: null }, x: { field: 'screened_per_enrolled', type: 'quantitative', title: 'Twins screened per enrolled', scale: { zero: false } }, tooltip } },
            { data: { values: [{ asWritten: r4(asWritten.screenedPerEnrolled) }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'asWritten', type: 'quantitative' } } },
          ],
        },
      ],
    }),
  };
}
