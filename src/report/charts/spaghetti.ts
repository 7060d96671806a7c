/**
 * Spaghetti plot: the observed values of a few twins per arm over visits (thin lines), one panel
 * per arm. The sample is the first twins of each arm in file order, so it is the same every time.
 */
import { r4, vl, type Chart } from '../chart.js';

export interface Trajectory {
  id: string;
  arm: string;
  visit: number;
  value: number;
}

export function spaghettiChart(param: string, label: string, unit: string, visitTitle: string, arms: readonly string[], rows: readonly Trajectory[], perArm: number): Chart {
  const title = `Individual trajectories: ${label}`;
  const description = `Observed ${label} (${unit}) over visits of the first ${perArm} twins of each arm (${arms.join(', ')}), one thin line per twin, one panel per arm.`;
  return {
    id: `spaghetti-${param}`,
    title,
    description,
    spec: vl(title, description, {
      data: { values: rows.map((r) => ({ id: r.id, arm: r.arm, visit: r.visit, value: r4(r.value) })) },
      facet: { column: { field: 'arm', type: 'nominal', title: null, sort: [...arms] } },
      spec: {
        width: 180,
        height: 180,
        mark: { type: 'line', strokeWidth: 0.8, opacity: 0.6 },
        encoding: {
          x: { field: 'visit', type: 'quantitative', title: visitTitle },
          y: { field: 'value', type: 'quantitative', title: `${label} (${unit})`, scale: { zero: false } },
          detail: { field: 'id', type: 'nominal' },
          color: { field: 'arm', type: 'nominal', sort: [...arms], legend: null },
        },
      },
    }),
  };
}
