/**
 * Forest plot of every efficacy analysis: estimate and CI per comparison and method, the true
 * effect (from the twins' counterfactuals) marked as a black diamond, one panel per endpoint
 * (endpoints have different scales; ratios on a log scale with the null line at 1).
 */
import { fmt, r4, vl, type Chart, type VlSpec } from '../chart.js';
import { TRUTH_COLOUR } from '../palette.js';

export interface EfficacyEstimate {
  endpoint: string;
  label: string;
  method: string;
  arm: string;
  control: string;
  measure: string;
  estimate: number;
  lower: number;
  upper: number;
  truth: number;
}

const isRatio = (measure: string): boolean => /ratio/i.test(measure);

export function forestChart(rows: readonly EfficacyEstimate[]): Chart {
  const endpoints = [...new Set(rows.map((r) => r.endpoint))];
  const panels: VlSpec[] = endpoints.map((ep) => {
    const mine = rows.filter((r) => r.endpoint === ep);
    const ratio = isRatio(mine[0]!.measure);
    const values = mine.map((r) => ({ row: `${r.arm} vs ${r.control} · ${r.method}`, estimate: r4(r.estimate), lower: r4(r.lower), upper: r4(r.upper), truth: r4(r.truth) }));
    const finite = mine.flatMap((r) => [r.lower, r.upper, r.truth, r.estimate, ratio ? 1 : 0]).filter((v) => Number.isFinite(v) && (!ratio || v > 0));
    const domain = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
    const x = { type: 'quantitative', title: `${mine[0]!.label}: ${mine[0]!.measure}${ratio ? ' (log scale)' : ''}`, scale: ratio ? { type: 'log', domain } : { type: 'linear', domain, nice: true, zero: false } };
    const y = { field: 'row', type: 'nominal', title: null, sort: null };
    return {
      width: 420,
      height: { step: 26 },
      title: { text: ep, fontSize: 12 },
      layer: [
        { data: { values: [{ ref: ratio ? 1 : 0 }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#777' }, encoding: { x: { field: 'ref', ...x } } },
        { data: { values }, mark: { type: 'rule', strokeWidth: 2, color: '#0072B2' }, encoding: { y, x: { field: 'lower', ...x }, x2: { field: 'upper' } } },
        { data: { values }, mark: { type: 'point', filled: true, size: 70, color: '#0072B2', shape: 'square' }, encoding: { y, x: { field: 'estimate', ...x }, tooltip: [{ field: 'row' }, { field: 'estimate' }, { field: 'lower' }, { field: 'upper' }, { field: 'truth' }] } },
        { data: { values: values.filter((v) => v.truth !== null) }, mark: { type: 'point', shape: 'diamond', filled: true, size: 60, color: TRUTH_COLOUR, opacity: 0.8 }, encoding: { y, x: { field: 'truth', ...x } } },
      ],
    };
  });
  const title = 'Efficacy: estimates with 95% CI (■) and the true effect (◆)';
  const description = `Forest plot of ${rows.length} efficacy analyses, one panel per endpoint: ${rows.map((r) => `${r.endpoint} ${r.arm} vs ${r.control} (${r.method}, ${r.measure}) ${fmt(r.estimate)} (${fmt(r.lower)} to ${fmt(r.upper)}), true effect ${fmt(r.truth)}`).join('; ')}.`;
  return { id: 'forest', title, description, spec: vl(title, description, { vconcat: panels, spacing: 18 }) };
}
