/**
 * Mean change from baseline over visits per arm, with 95% t confidence intervals (one biomarker).
 */
import { qt } from '../../stats/distributions.js';
import { fmt, r4, vl, type Chart } from '../chart.js';

export interface VisitValue {
  arm: string;
  visit: number;
  change: number;
}

export interface VisitMean {
  arm: string;
  visit: number;
  n: number;
  mean: number;
  lower: number;
  upper: number;
}

/** Mean and 95% t CI of the change per arm and visit (visits in increasing order). */
export function visitMeans(arms: readonly string[], values: readonly VisitValue[]): VisitMean[] {
  const out: VisitMean[] = [];
  const visits = [...new Set(values.map((v) => v.visit))].sort((a, b) => a - b);
  for (const arm of arms) {
    for (const visit of visits) {
      const xs = values.filter((v) => v.arm === arm && v.visit === visit && Number.isFinite(v.change)).map((v) => v.change);
      const n = xs.length;
      if (n === 0) continue;
      const mean = xs.reduce((s, x) => s + x, 0) / n;
      const sd = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : NaN;
      const h = n > 1 ? qt(0.975, n - 1) * (sd / Math.sqrt(n)) : 0;
      out.push({ arm, visit, n, mean, lower: mean - h, upper: mean + h });
    }
  }
  return out;
}

export function changeFromBaselineChart(param: string, label: string, unit: string, visitTitle: string, arms: readonly string[], means: readonly VisitMean[]): Chart {
  const last = Math.max(...means.map((m) => m.visit));
  const at = means.filter((m) => m.visit === last);
  const title = `Mean change from baseline: ${label}`;
  const description = `Mean change from baseline in ${label} (${unit}) by visit and arm, with 95% confidence intervals. At the last visit (${last}): ${at.map((m) => `${m.arm} ${fmt(m.mean)} (${fmt(m.lower)} to ${fmt(m.upper)}), n = ${m.n}`).join('; ')}.`;
  const values = means.map((m) => ({ arm: m.arm, visit: m.visit, n: m.n, mean: r4(m.mean), lower: r4(m.lower), upper: r4(m.upper) }));
  const x = { field: 'visit', type: 'quantitative', title: visitTitle };
  const color = { field: 'arm', type: 'nominal', title: 'Arm', sort: [...arms] };
  return {
    id: `change-${param}`,
    title,
    description,
    spec: vl(title, description, {
      width: 560,
      height: 280,
      data: { values },
      encoding: { x, color },
      layer: [
        { mark: { type: 'errorband', opacity: 0.18 }, encoding: { y: { field: 'lower', type: 'quantitative', title: `Change from baseline (${unit})` }, y2: { field: 'upper' } } },
        { mark: { type: 'line', strokeWidth: 2, point: true }, encoding: { y: { field: 'mean', type: 'quantitative' }, tooltip: [{ field: 'arm' }, { field: 'visit' }, { field: 'mean' }, { field: 'lower' }, { field: 'upper' }, { field: 'n' }] } },
      ],
    }),
  };
}
