/**
 * The chart builders are pure functions from rows to Vega-Lite specs: these tests feed them small
 * hand-made data and check the marks, the data drawn and the text alternative, then render
 * them to SVG and check what the SVG holds.
 */
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { kaplanMeierChart, riskTimes } from '../../src/report/charts/kaplan-meier.js';
import { visitMeans, changeFromBaselineChart } from '../../src/report/charts/change-from-baseline.js';
import { forestChart, type EfficacyEstimate } from '../../src/report/charts/forest.js';
import { concentrationBands } from '../../src/report/charts/pk.js';
import { iteBins } from '../../src/report/charts/ite-distribution.js';
import { consortChart } from '../../src/report/charts/consort.js';
import { adverseEventChart, ANY_AE } from '../../src/report/charts/adverse-events.js';
import { rejectionRateChart } from '../../src/report/charts/rejection-rates.js';
import { summariseEstimates } from '../../src/report/charts/estimate-distribution.js';
import { renderSvg, renumberIds } from '../../src/report/render.js';
import { OKABE_ITO } from '../../src/report/palette.js';
import type { VlSpec } from '../../src/report/chart.js';

type Layer = { data?: { values: Record<string, unknown>[] }; mark: { type: string; shape?: string; interpolate?: string }; encoding: Record<string, { field?: string; scale?: { type?: string } }> };
const layers = (spec: VlSpec) => spec.layer as Layer[];

describe('Kaplan-Meier chart', () => {
  // Arm a: events at 1 and 3, censored at 2 and 4; arm b: events at 2, censored at 5.
  const subjects = [
    { arm: 'a', time: 1, censored: false },
    { arm: 'a', time: 2, censored: true },
    { arm: 'a', time: 3, censored: false },
    { arm: 'a', time: 4, censored: true },
    { arm: 'b', time: 2, censored: false },
    { arm: 'b', time: 5, censored: true },
  ];
  const chart = kaplanMeierChart('OS', 'Overall survival', 'days', ['a', 'b'], subjects);

  it('draws step curves with the product-limit values and a cross at each censoring time', () => {
    const [curve, censor] = layers(chart.spec);
    expect(curve!.mark).toMatchObject({ type: 'line', interpolate: 'step-after' });
    // a: S = 3/4 after t = 1, 3/4 * 1/2 = 0.375 after t = 3 (the censoring at 2 leaves 2 at risk).
    expect(curve!.data!.values.filter((v) => v.arm === 'a')).toEqual([
      { arm: 'a', time: 0, surv: 1 },
      { arm: 'a', time: 1, surv: 0.75 },
      { arm: 'a', time: 3, surv: 0.375 },
      { arm: 'a', time: 4, surv: 0.375 },
    ]);
    expect(censor!.mark.shape).toBe('cross');
    expect(censor!.data!.values).toEqual([
      { arm: 'a', time: 2, surv: 0.75, n: 1 },
      { arm: 'a', time: 4, surv: 0.375, n: 1 },
      { arm: 'b', time: 5, surv: 0.5, n: 1 },
    ]);
  });

  it('has a numbers-at-risk table at round times and medians in its text alternative', () => {
    expect(riskTimes(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(riskTimes(730)).toEqual([0, 200, 400, 600]);
    expect(chart.after).toContain('<tr><th scope="row">a</th><td>4</td><td>4</td><td>3</td><td>2</td><td>1</td><td>0</td></tr>');
    expect(chart.after).toContain('<tr><th scope="row">b</th><td>2</td><td>2</td><td>2</td><td>1</td><td>1</td><td>1</td></tr>');
    expect(chart.description).toContain('a: median 3 days (2 events of 4)');
    expect(chart.description).toContain('b: median 2 days (1 events of 2)');
  });

  it('renders to an SVG with <title>, <desc> and a path per arm', async () => {
    const svg = await renderSvg({ ...chart, id: 'km-test' });
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="km-test-title km-test-desc"[^>]*><title id="km-test-title">Kaplan–Meier: Overall survival<\/title><desc id="km-test-desc">Kaplan–Meier estimates/);
    expect(svg).toMatch(/class="mark-line role-mark/);
    expect(svg.match(/class="mark-symbol role-mark/g)?.length).toBeGreaterThanOrEqual(1);
    // One step path per arm, in the first two Okabe-Ito colours.
    expect(svg.match(/aria-roledescription="line mark" d="M[^"]*"[^>]*stroke="#[0-9A-Fa-f]{6}"/g)?.map((p) => p.slice(-8, -1))).toEqual([OKABE_ITO[0], OKABE_ITO[1]]);
    expect(svg).toContain('Time (days)');
    expect(svg).toContain('Probability event-free');
  });
});

describe('mean change from baseline', () => {
  it('is the mean with a t-based 95% CI per arm and visit', () => {
    const m = visitMeans(['a'], [
      { arm: 'a', visit: 2, change: 1 },
      { arm: 'a', visit: 2, change: 2 },
      { arm: 'a', visit: 2, change: 3 },
      { arm: 'a', visit: 0, change: 0 },
    ]);
    expect(m.map((x) => x.visit)).toEqual([0, 2]);
    // mean 2, sd 1, n 3: qt(0.975, 2) = 4.302653 (R), half-width 4.302653 / sqrt(3).
    expect(m[1]!.mean).toBe(2);
    expect(m[1]!.upper - 2).toBeCloseTo(4.302652729749464 / Math.sqrt(3), 10);
    expect(m[0]).toMatchObject({ n: 1, mean: 0, lower: 0, upper: 0 });
    const c = changeFromBaselineChart('Y', 'Marker', 'mmol/L', 'Visit (week)', ['a'], m);
    expect(layers(c.spec).map((l) => l.mark.type)).toEqual(['errorband', 'line']);
    expect(JSON.stringify(c.spec)).toContain('Change from baseline (mmol/L)');
  });
});

describe('forest plot', () => {
  const row = (endpoint: string, measure: string, est: number, truth: number): EfficacyEstimate => ({ endpoint, label: endpoint, method: 'm', arm: 'b', control: 'a', measure, estimate: est, lower: est - 0.1, upper: est + 0.1, truth });
  const c = forestChart([row('HR', 'hazard ratio', 0.7, 0.65), row('D', 'difference in means', -1, -1.1)]);
  const panels = c.spec.vconcat as { layer: Layer[] }[];

  it('draws one panel per endpoint: CI rule, estimate, truth; ratios on a log scale around 1', () => {
    expect(panels).toHaveLength(2);
    const [ref, ci, est, truth] = panels[0]!.layer;
    expect(ref!.data!.values).toEqual([{ ref: 1 }]);
    expect(ref!.encoding.x!.scale!.type).toBe('log');
    expect(ci!.mark.type).toBe('rule');
    expect(est!.data!.values[0]).toMatchObject({ row: 'b vs a · m', estimate: 0.7, lower: 0.6, upper: 0.8, truth: 0.65 });
    expect(truth!.mark.shape).toBe('diamond');
    expect(panels[1]!.layer[0]!.data!.values).toEqual([{ ref: 0 }]);
    expect(panels[1]!.layer[0]!.encoding.x!.scale!.type).toBe('linear');
    expect(c.description).toContain('HR b vs a (m, hazard ratio) 0.7 (0.6 to 0.8), true effect 0.65');
  });

  it('compiles without warnings', () => {
    const warnings: string[] = [];
    const logger = { level: () => logger, error: (m: string) => warnings.push(m), warn: (m: string) => warnings.push(m), info: () => logger, debug: () => logger };
    compile(c.spec as never, { logger: logger as never });
    expect(warnings).toEqual([]);
  });
});

describe('aggregates drawn instead of individual values', () => {
  it('PK bands are R type 7 quantiles per arm and visit', () => {
    const rows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => ({ arm: 'd', visit: 1, value: v }));
    const [b] = concentrationBands(['d'], rows);
    expect(b).toMatchObject({ arm: 'd', visit: 1, n: 10, median: 5.5 });
    expect(b!.p5).toBeCloseTo(1.45, 12);
    expect(b!.p95).toBeCloseTo(9.55, 12);
  });

  it('ITE bins: 30 equal bins holding every twin; at most 5 values: a bar per value', () => {
    const samples = Array.from({ length: 100 }, (_, i) => ({ comparison: 'b vs a', effect: i / 10 }));
    const bins = iteBins(samples);
    expect(bins).toHaveLength(30);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(100);
    expect(bins[29]!.count).toBe(4);
    const responder = iteBins([0, 1, 1, -1, 0, 0].map((effect) => ({ comparison: 'x', effect })));
    expect(responder.map((b) => [Math.round(b.from + 0.4), b.count])).toEqual([[-1, 1], [0, 3], [1, 2]]);
  });

  it('replicate estimates become quantiles and the mean truth per endpoint, analysis and scenario', () => {
    const rows = [1, 2, 3, 4, 5].map((estimate) => ({ endpoint: 'Y', measure: 'd', analysis: 'b vs a', scenario: 'base', estimate, truth: estimate / 10 }));
    expect(summariseEstimates(rows)).toEqual([{ endpoint: 'Y', measure: 'd', analysis: 'b vs a', scenario: 'base', n: 5, q05: 1.2, q25: 2, median: 3, q75: 4, q95: 4.8, truth: 0.3 }]);
  });
});

describe('flow, adverse events and rejection rates', () => {
  it('CONSORT boxes carry the counts, excluded by criterion and discontinued by reason', () => {
    const c = consortChart({ screened: 120, excluded: 20, criteria: [{ text: 'Age', excluded: 15 }, { text: 'Never', excluded: 0 }, { text: 'BMI', excluded: 5 }], randomised: 100, arms: [{ arm: 'a', randomised: 50, discontinued: 5, completed: 45, reasons: [{ reason: 'ADVERSE EVENT', n: 5 }] }, { arm: 'b', randomised: 50, discontinued: 0, completed: 50, reasons: [] }] });
    const lines = layers(c.spec).flatMap((l) => (l.mark.type === 'text' ? l.data!.values.map((v) => String(v.line).trim()) : []));
    expect(lines).toEqual(expect.arrayContaining(['Screened (n = 120)', 'Excluded (n = 20)', 'Age: 15', 'BMI: 5', 'Randomised (n = 100)', 'a (n = 50)', 'Discontinued (n = 5)', 'ADVERSE EVENT: 5', 'Completed (n = 45)', 'Completed (n = 50)']));
    expect(lines).not.toContain('Never: 0');
    expect(lines).not.toContain('External controls (n = 0)');
    const ext = consortChart({ screened: 10, excluded: 0, criteria: [], randomised: 10, external: { n: 30, arm: 'a' }, arms: [] });
    expect(layers(ext.spec).flatMap((l) => (l.mark.type === 'text' ? l.data!.values.map((v) => String(v.line).trim()) : []))).toEqual(expect.arrayContaining(['External controls (n = 30)', 'not randomised, with a']));
    expect(ext.description).toContain('(and 30 external controls analysed with a)');
  });

  it('adverse events stack grades per term and arm with ordered grade colours', () => {
    const c = adverseEventChart(['a', 'b'], ['Headache'], [
      { term: ANY_AE, arm: 'a', grade: 1, n: 2, percent: 20 },
      { term: 'Headache', arm: 'b', grade: 2, n: 1, percent: 10 },
    ]);
    const enc = (c.spec.spec as { encoding: Record<string, { stack?: string; scale?: { domain: string[] } }> }).encoding;
    expect(enc.x!.stack).toBe('zero');
    expect(enc.color!.scale!.domain).toEqual(['Grade 1', 'Grade 2', 'Grade 3', 'Grade 4', 'Grade 5']);
    expect(c.description).toContain('Headache: a 0%, b 10%');
  });

  it('rejection rates mark alpha and carry the MC CI', () => {
    const c = rejectionRateChart(['base', 'null'], 0.025, [{ scenario: 'null', analysis: 'Y', power: 0.03, lower: 0.01, upper: 0.07, replicates: 200 }]);
    const [alpha, ci, point] = layers(c.spec);
    expect(alpha!.data!.values).toEqual([{ alpha: 0.025 }]);
    expect(ci!.encoding.x2).toEqual({ field: 'upper' });
    expect(point!.data!.values[0]).toMatchObject({ power: 0.03, lower: 0.01, upper: 0.07 });
  });
});

describe('rendering', () => {
  it("collects vega-lite's warnings instead of printing them", async () => {
    const warnings: string[] = [];
    const spec = { data: { values: [{ x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative', scale: { type: 'log', zero: true } } } };
    await renderSvg({ id: 'w', title: 't', description: 'd', spec }, warnings);
    expect(warnings).toEqual(['w: x-scale\'s "zero" is dropped as it does not work with log scale.']);
  });
});

describe('SVG ids', () => {
  it('are renumbered per chart, references included, so two renders are identical and ids unique in a page', () => {
    const svg = '<svg><clipPath id="clip7"><rect/></clipPath><g clip-path="url(#clip7)"/><clipPath id="clip9"/><g clip-path="url(#clip9)"/></svg>';
    expect(renumberIds(svg, '03-km')).toBe('<svg><clipPath id="03-km-1"><rect/></clipPath><g clip-path="url(#03-km-1)"/><clipPath id="03-km-2"/><g clip-path="url(#03-km-2)"/></svg>');
  });
});
