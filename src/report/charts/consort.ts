/**
 * CONSORT flow: screened, excluded (by criterion), randomised, then per arm allocated,
 * discontinued (by reason) and completed. Boxes, text and connecting rules placed on a fixed grid.
 */
import { vl, type Chart } from '../chart.js';

export interface ConsortInput {
  screened: number;
  excluded: number;
  /** Criteria that excluded someone: text and count (first failing criterion). */
  criteria: { text: string; excluded: number }[];
  randomised: number;
  /** External (historical or synthetic) controls added to a control arm, not randomised. */
  external?: { n: number; arm: string };
  arms: { arm: string; randomised: number; discontinued: number; completed: number; reasons: { reason: string; n: number }[] }[];
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  lines: string[];
}

export function consortChart(d: ConsortInput): Chart {
  const colW = 200;
  const gap = 20;
  const width = Math.max(640, d.arms.length * (colW + gap));
  const mid = width / 2;
  const boxes: Box[] = [];
  const rules: { x: number; y: number; x2: number; y2: number }[] = [];
  boxes.push({ x: mid - 110, y: 0, w: 220, h: 34, lines: [`Screened (n = ${d.screened})`] });
  const exclLines = [`Excluded (n = ${d.excluded})`, ...d.criteria.filter((c) => c.excluded > 0).map((c) => `  ${shortText(c.text)}: ${c.excluded}`)];
  const exclH = 12 + 14 * exclLines.length;
  boxes.push({ x: mid + 40, y: 48, w: width - mid - 44, h: exclH, lines: exclLines });
  const randY = 48 + exclH + 18;
  boxes.push({ x: mid - 110, y: randY, w: 220, h: 34, lines: [`Randomised (n = ${d.randomised})`] });
  if (d.external && d.external.n > 0) boxes.push({ x: mid + 130, y: randY, w: width - mid - 134, h: 34, lines: [`External controls (n = ${d.external.n})`, `  not randomised, with ${d.external.arm}`] });
  rules.push({ x: mid, y: 34, x2: mid, y2: randY });
  rules.push({ x: mid, y: 48 + exclH / 2, x2: mid + 40, y2: 48 + exclH / 2 });
  const armY = randY + 64;
  const n = d.arms.length;
  const left = (width - n * colW - (n - 1) * gap) / 2;
  const maxReasons = Math.max(0, ...d.arms.map((a) => a.reasons.length));
  const discH = 12 + 14 * (1 + maxReasons);
  rules.push({ x: left + colW / 2, y: randY + 50, x2: left + (n - 1) * (colW + gap) + colW / 2, y2: randY + 50 });
  rules.push({ x: mid, y: randY + 34, x2: mid, y2: randY + 50 });
  d.arms.forEach((a, i) => {
    const x = left + i * (colW + gap);
    const cx = x + colW / 2;
    rules.push({ x: cx, y: randY + 50, x2: cx, y2: armY + 34 + 10 + discH + 10 });
    boxes.push({ x, y: armY, w: colW, h: 34, lines: [`${a.arm} (n = ${a.randomised})`] });
    boxes.push({ x, y: armY + 44, w: colW, h: discH, lines: [`Discontinued (n = ${a.discontinued})`, ...a.reasons.map((r) => `  ${shortText(r.reason)}: ${r.n}`)] });
    boxes.push({ x, y: armY + 54 + discH, w: colW, h: 34, lines: [`Completed (n = ${a.completed})`] });
  });
  const height = armY + 54 + discH + 34 + 2;
  const text = boxes.flatMap((b) => b.lines.map((line, k) => ({ x: b.x + 8, y: b.y + 17 + 14 * k - (b.lines.length === 1 ? 0 : 4), line, bold: k === 0 })));
  const xs = { type: 'quantitative', scale: { domain: [0, width] }, axis: null };
  const ys = { type: 'quantitative', scale: { domain: [0, height], reverse: true }, axis: null };
  const description = `CONSORT flow: ${d.screened} twins screened, ${d.excluded} excluded, ${d.randomised} randomised${d.external && d.external.n > 0 ? ` (and ${d.external.n} external controls analysed with ${d.external.arm})` : ''}; ${d.arms.map((a) => `${a.arm}: ${a.randomised} randomised, ${a.discontinued} discontinued, ${a.completed} completed`).join('; ')}.`;
  return {
    id: 'consort',
    title: 'Participant flow (CONSORT)',
    description,
    spec: vl('Participant flow (CONSORT)', description, {
      width,
      height,
      layer: [
        { data: { values: rules }, mark: { type: 'rule', color: '#555' }, encoding: { x: { field: 'x', ...xs }, y: { field: 'y', ...ys }, x2: { field: 'x2' }, y2: { field: 'y2' } } },
        {
          data: { values: boxes.map((b) => ({ x: b.x, x2: b.x + b.w, y: b.y, y2: b.y + b.h })) },
          mark: { type: 'rect', fill: '#f7f7f7', stroke: '#333', strokeWidth: 1, cornerRadius: 3 },
          encoding: { x: { field: 'x', ...xs }, y: { field: 'y', ...ys }, x2: { field: 'x2' }, y2: { field: 'y2' } },
        },
        ...[true, false].map((bold) => ({
          data: { values: text.filter((t) => t.bold === bold) },
          mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 11, fontWeight: bold ? 'bold' : 'normal' },
          encoding: { x: { field: 'x', ...xs }, y: { field: 'y', ...ys }, text: { field: 'line' } },
        })),
      ],
    }),
  };
}

const shortText = (s: string): string => (s.length > 34 ? `${s.slice(0, 33)}…` : s);
