/**
 * Kaplan-Meier curves per arm for one time-to-event endpoint, with censoring marks (one per
 * distinct censoring time) and a numbers-at-risk table under the chart.
 */
import { kaplanMeier } from '../../stats/kaplan-meier.js';
import { fmt, r4, vl, type Chart } from '../chart.js';
import { escapeHtml } from '../html-text.js';

export interface TteSubject {
  arm: string;
  time: number;
  /** 1 censored, 0 event (ADaM CNSR). */
  censored: boolean;
}

/** Round tick times for the numbers-at-risk table: about 6 steps of 1, 2 or 5 times a power of ten. */
export function riskTimes(maxTime: number): number[] {
  if (!(maxTime > 0)) return [0];
  const raw = maxTime / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = 0; t <= maxTime + 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

export function kaplanMeierChart(endpoint: string, label: string, unit: string, arms: readonly string[], subjects: readonly TteSubject[]): Chart {
  const curve: { arm: string; time: number | null; surv: number | null }[] = [];
  const censor: { arm: string; time: number | null; surv: number | null; n: number }[] = [];
  const medians: string[] = [];
  const maxTime = Math.max(0, ...subjects.map((s) => s.time));
  const times = riskTimes(maxTime);
  const atRisk: number[][] = [];
  for (const arm of arms) {
    const mine = subjects.filter((s) => s.arm === arm);
    atRisk.push(times.map((t) => mine.filter((s) => s.time >= t).length));
    if (mine.length === 0) continue;
    const km = kaplanMeier(mine.map((s) => s.time), mine.map((s) => (s.censored ? 0 : 1)));
    curve.push({ arm, time: 0, surv: 1 });
    let last = 1;
    for (const st of km.steps) {
      if (st.events > 0) curve.push({ arm, time: r4(st.time), surv: r4(st.surv) });
      if (st.censored > 0) censor.push({ arm, time: r4(st.time), surv: r4(st.surv), n: st.censored });
      last = st.surv;
    }
    // The curve runs on to the last follow-up time.
    const end = km.steps[km.steps.length - 1]!.time;
    curve.push({ arm, time: r4(end), surv: r4(last) });
    medians.push(`${arm}: median ${Number.isNaN(km.median) ? 'not reached' : `${fmt(km.median)} ${unit}`} (${km.events} events of ${mine.length})`);
  }
  const title = `Kaplan–Meier: ${label}`;
  const description = `Kaplan–Meier estimates of ${label} (${endpoint}) by arm, with censoring marked by crosses. ${medians.join('; ')}.`;
  const x = { field: 'time', type: 'quantitative', title: `Time (${unit})`, scale: { domain: [0, times[times.length - 1]!] } };
  const y = { field: 'surv', type: 'quantitative', title: 'Probability event-free', scale: { domain: [0, 1] } };
  const color = { field: 'arm', type: 'nominal', title: 'Arm', sort: [...arms] };
  const head = `<tr><th scope="col">Number at risk</th>${times.map((t) => `<th scope="col">${fmt(t)}</th>`).join('')}</tr>`;
  const body = arms.map((a, i) => `<tr><th scope="row">${escapeHtml(a)}</th>${atRisk[i]!.map((n) => `<td>${n}</td>`).join('')}</tr>`).join('');
  return {
    id: `km-${endpoint}`,
    title,
    description,
    spec: vl(title, description, {
      width: 560,
      height: 300,
      layer: [
        { data: { values: curve }, mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 }, encoding: { x, y, color, strokeDash: { field: 'arm', type: 'nominal', sort: [...arms], legend: null } } },
        { data: { values: censor }, mark: { type: 'point', shape: 'cross', size: 30, filled: true }, encoding: { x, y, color, tooltip: [{ field: 'arm' }, { field: 'time' }, { field: 'n', title: 'censored' }] } },
      ],
    }),
    after: `<table class="risk"><caption>Numbers at risk (${escapeHtml(unit)})</caption>${head}${body}</table>`,
  };
}
