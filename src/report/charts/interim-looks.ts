/**
 * A single run of a group-sequential protocol that records its looks (interim-looks.csv, when
 * the run writes one): the trial's z statistic at each look against the efficacy boundary and
 * the futility bound on the z scale, by information fraction.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';
import { OKABE_ITO, TRUTH_COLOUR } from '../palette.js';

export interface TrialLook {
  look: number;
  fraction: number;
  z: number;
  critical: number;
  /** NaN: none at this look. */
  futility: number;
}

const LINES = ['efficacy boundary', 'futility bound', 'the trial\u2019s z'] as const;

export function interimLooksChart(looks: readonly TrialLook[]): Chart {
  const values = looks.flatMap((l) => [
    { look: l.look, fraction: r4(l.fraction), line: LINES[0], z: r4(l.critical) },
    ...(Number.isFinite(l.futility) ? [{ look: l.look, fraction: r4(l.fraction), line: LINES[1], z: r4(l.futility) }] : []),
    ...(Number.isFinite(l.z) ? [{ look: l.look, fraction: r4(l.fraction), line: LINES[2], z: r4(l.z) }] : []),
  ]);
  const present = LINES.filter((n) => values.some((v) => v.line === n));
  const x = { field: 'fraction', type: 'quantitative', title: 'Information fraction (observed / planned final information)', scale: { domain: [0, 1.04], nice: false }, axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] } };
  const y = { field: 'z', type: 'quantitative', title: 'z statistic (favourable direction, SD units)' };
  const legend = { orient: 'right', labelLimit: 400, values: present };
  const color = { field: 'line', type: 'nominal', title: null, scale: { domain: [...LINES], range: [OKABE_ITO[0], OKABE_ITO[5], TRUTH_COLOUR] }, legend };
  const strokeDash = { field: 'line', type: 'nominal', title: null, scale: { domain: [...LINES], range: [[1, 0], [5, 3], [1, 0]] }, legend };
  const title = 'The trial\u2019s z statistic at each look against the boundaries';
  const description = `The z statistic of this trial at each interim look and the final analysis, with the efficacy boundary${values.some((v) => v.line === LINES[1]) ? ' and the futility bound' : ''} on the z scale, against the information fraction. ${looks.map((l) => `look ${l.look} at fraction ${fmt(l.fraction)}: z ${fmt(l.z)}, boundary ${fmt(l.critical)}${Number.isFinite(l.futility) ? `, futility ${fmt(l.futility)}` : ''}`).join('; ')}.`;
  return {
    id: 'interim-looks',
    title,
    description,
    spec: vl(title, description, {
      width: 420,
      height: 220,
      data: { values },
      layer: [
        { mark: { type: 'rule', color: '#555', opacity: 0.5 }, encoding: { y: { datum: 0, type: 'quantitative' } } },
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color, strokeDash } },
        { mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y, color, tooltip: [{ field: 'line' }, { field: 'look' }, { field: 'fraction' }, { field: 'z' }] } },
      ],
    }),
  };
}
