/**
 * PK: drug concentration over visits per drug arm, the median as a line and the 5th-95th
 * percentile band (R's type 7 quantiles), aggregated before drawing.
 */
import { quantile7 } from '../../stats/quantile7.js';
import { fmt, r4, vl, type Chart } from '../chart.js';

export interface ConcentrationBand {
  arm: string;
  visit: number;
  n: number;
  median: number;
  p5: number;
  p95: number;
}

export function concentrationBands(arms: readonly string[], rows: readonly { arm: string; visit: number; value: number }[]): ConcentrationBand[] {
  const out: ConcentrationBand[] = [];
  const visits = [...new Set(rows.map((r) => r.visit))].sort((a, b) => a - b);
  for (const arm of arms) {
    for (const visit of visits) {
      const xs = Float64Array.from(rows.filter((r) => r.arm === arm && r.visit === visit && Number.isFinite(r.value)).map((r) => r.value)).sort();
      if (xs.length === 0) continue;
      out.push({ arm, visit, n: xs.length, median: quantile7(xs, 0.5), p5: quantile7(xs, 0.05), p95: quantile7(xs, 0.95) });
    }
  }
  return out;
}

export function pkChart(unit: string, visitTitle: string, arms: readonly string[], bands: readonly ConcentrationBand[]): Chart {
  const title = 'Drug concentration over time (median, 5th–95th percentile)';
  const last = Math.max(...bands.map((b) => b.visit));
  const description = `Drug concentration (${unit}) at the observed visits by arm: median line and 5th to 95th percentile band. At the last visit (${last}): ${bands.filter((b) => b.visit === last).map((b) => `${b.arm} median ${fmt(b.median)} (${fmt(b.p5)} to ${fmt(b.p95)})`).join('; ')}.`;
  const color = { field: 'arm', type: 'nominal', title: 'Arm', sort: [...arms] };
  return {
    id: 'pk',
    title,
    description,
    spec: vl(title, description, {
      width: 560,
      height: 260,
      data: { values: bands.map((b) => ({ arm: b.arm, visit: b.visit, n: b.n, median: r4(b.median), p5: r4(b.p5), p95: r4(b.p95) })) },
      encoding: { x: { field: 'visit', type: 'quantitative', title: visitTitle }, color },
      layer: [
        { mark: { type: 'area', opacity: 0.2 }, encoding: { y: { field: 'p5', type: 'quantitative', title: `Concentration (${unit})` }, y2: { field: 'p95' } } },
        { mark: { type: 'line', strokeWidth: 2, point: true }, encoding: { y: { field: 'median', type: 'quantitative' }, tooltip: [{ field: 'arm' }, { field: 'visit' }, { field: 'median' }, { field: 'p5' }, { field: 'p95' }, { field: 'n' }] } },
      ],
    }),
  };
}
