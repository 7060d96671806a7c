/**
 * Adverse events: the share of each arm with each term, stacked by grade (ADAE keeps a term's
 * first occurrence, so its grade), and "any adverse event" stacked by the worst grade
 * (safety.csv), one panel per arm.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';
import { GRADE_COLOURS } from '../palette.js';

export interface AeBar {
  /** A term, or the "any adverse event" row. */
  term: string;
  arm: string;
  grade: number;
  percent: number;
  n: number;
}

export const ANY_AE = 'Any adverse event (worst grade)';

export function adverseEventChart(arms: readonly string[], terms: readonly string[], bars: readonly AeBar[]): Chart {
  const title = 'Adverse events: % of subjects by term, arm and grade';
  const total = (term: string, arm: string) => bars.filter((b) => b.term === term && b.arm === arm).reduce((s, b) => s + b.percent, 0);
  const description = `Percentage of subjects with each adverse event by arm, stacked by grade (for a term: the grade of its first occurrence; for any adverse event: the worst grade). ${[ANY_AE, ...terms].map((t) => `${t}: ${arms.map((a) => `${a} ${fmt(total(t, a))}%`).join(', ')}`).join('; ')}.`;
  const grades = [1, 2, 3, 4, 5];
  return {
    id: 'adverse-events',
    title,
    description,
    spec: vl(title, description, {
      data: { values: bars.map((b) => ({ ...b, percent: r4(b.percent), grade: `Grade ${b.grade}` })) },
      facet: { column: { field: 'arm', type: 'nominal', title: null, sort: [...arms] } },
      spec: {
        width: 200,
        height: { step: 22 },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'term', type: 'nominal', title: null, sort: [ANY_AE, ...terms] },
          x: { field: 'percent', type: 'quantitative', title: '% of subjects', stack: 'zero' },
          color: { field: 'grade', type: 'ordinal', title: 'Grade', scale: { domain: grades.map((g) => `Grade ${g}`), range: [...GRADE_COLOURS] } },
          order: { field: 'grade', type: 'ordinal' },
          tooltip: [{ field: 'term' }, { field: 'arm' }, { field: 'grade' }, { field: 'n', title: 'subjects' }, { field: 'percent', title: '%' }],
        },
      },
    }),
  };
}
