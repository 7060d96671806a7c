/**
 * Group-sequential replicate runs: the probability of stopping at each look for efficacy and for
 * futility (the distribution of the stopping look), per scenario, with Clopper-Pearson 95% Monte
 * Carlo CIs (the count is the probability times the scenario's replicates); and the cumulative
 * probability of rejecting by each look (power, or the type I error under a null scenario).
 */
import { clopperPearson } from '../../stats/clopper-pearson.js';
import { fmt, r4, vl, type Chart } from '../chart.js';
import { OKABE_ITO } from '../palette.js';

export interface LookStop {
  scenario: string;
  look: number;
  /** The planned information fraction (the x position of the cumulative chart). */
  fraction: number;
  /** Replicates of the scenario (the denominator of the probabilities). */
  replicates: number;
  pEfficacy: number;
  pFutility: number;
}

export interface Rate {
  p: number;
  lower: number;
  upper: number;
}

/** The Clopper-Pearson 95% CI of a probability estimated over `n` replicates. */
export function rateCi(p: number, n: number): Rate {
  if (!Number.isFinite(p) || !(n > 0)) return { p, lower: NaN, upper: NaN };
  const { ci } = clopperPearson(Math.round(p * n), n);
  return { p, lower: ci[0], upper: ci[1] };
}

const REASONS = ['efficacy', 'futility'] as const;
const REASON_COLOURS = [OKABE_ITO[0], OKABE_ITO[5]];
const lookLabel = (l: LookStop) => `look ${l.look} (${fmt(l.fraction)})`;

export function stoppingChart(scenarios: readonly string[], looks: readonly LookStop[], withFutility: boolean): Chart {
  const reasons = withFutility ? REASONS : REASONS.slice(0, 1);
  const values = looks.flatMap((l) =>
    reasons.map((reason) => {
      const r = rateCi(reason === 'efficacy' ? l.pEfficacy : l.pFutility, l.replicates);
      return { scenario: l.scenario, look: lookLabel(l), reason, p: r4(r.p), lower: r4(r.lower), upper: r4(r.upper), replicates: l.replicates };
    }),
  );
  const order = [...new Set(looks.map(lookLabel))];
  const x = { field: 'look', type: 'ordinal', title: 'Look (planned information fraction)', sort: order, axis: { labelAngle: 0 } };
  const y = { type: 'quantitative', title: 'Probability of stopping at the look', scale: { domain: [0, 1] } };
  const color = { field: 'reason', type: 'nominal', title: 'Stopped for', scale: { domain: [...reasons], range: REASON_COLOURS.slice(0, reasons.length) }, legend: { orient: 'bottom' } };
  const xOffset = { field: 'reason', type: 'nominal', sort: [...reasons] };
  const title = `Stopping probabilities by look${withFutility ? ' and reason' : ''} (95% Monte Carlo CI)`;
  const description = `Share of replicate trials stopping at each look for efficacy${withFutility ? ' or for futility' : ''}, per scenario, with Clopper-Pearson 95% confidence intervals. ${values.map((v) => `${v.scenario}, ${v.look}, ${v.reason}: ${fmt(v.p ?? NaN)} (${fmt(v.lower ?? NaN)} to ${fmt(v.upper ?? NaN)})`).join('; ')}.`;
  return {
    id: 'sequential-stopping',
    title,
    description,
    spec: vl(title, description, {
      data: { values },
      facet: { column: { field: 'scenario', type: 'nominal', sort: [...scenarios], title: 'Scenario', header: { labelFontSize: 11, titleFontSize: 12 } } },
      spacing: { column: 16 },
      spec: {
        width: { step: 34 },
        height: 200,
        layer: [
          { mark: { type: 'bar', opacity: 0.35, width: { band: 0.8 } }, encoding: { x, xOffset, color, y: { field: 'p', ...y } } },
          { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, xOffset, color, y: { field: 'lower', ...y }, y2: { field: 'upper' } } },
          { mark: { type: 'point', filled: true, size: 40 }, encoding: { x, xOffset, color, y: { field: 'p', ...y }, tooltip: [{ field: 'scenario' }, { field: 'look' }, { field: 'reason' }, { field: 'p', title: 'probability' }, { field: 'lower' }, { field: 'upper' }, { field: 'replicates' }] } },
        ],
      },
    }),
  };
}

/** The cumulative rejection probability by look: the efficacy stops summed, with its CI. */
export function cumulativeRejection(looks: readonly LookStop[]): { scenario: string; look: number; fraction: number; replicates: number; cum: Rate }[] {
  const out: { scenario: string; look: number; fraction: number; replicates: number; cum: Rate }[] = [];
  for (const scenario of new Set(looks.map((l) => l.scenario))) {
    let sum = 0;
    for (const l of looks.filter((x) => x.scenario === scenario).sort((a, b) => a.look - b.look)) {
      sum += l.pEfficacy;
      out.push({ scenario, look: l.look, fraction: l.fraction, replicates: l.replicates, cum: rateCi(sum, l.replicates) });
    }
  }
  return out;
}

export function cumulativeRejectionChart(scenarios: readonly string[], alpha: number, looks: readonly LookStop[]): Chart {
  const rows = cumulativeRejection(looks);
  const values = rows.map((r) => ({ scenario: r.scenario, look: r.look, fraction: r4(r.fraction), p: r4(r.cum.p), lower: r4(r.cum.lower), upper: r4(r.cum.upper), replicates: r.replicates }));
  const x = { field: 'fraction', type: 'quantitative', title: 'Look: planned information fraction', scale: { domain: [0, 1] } };
  const yTitle = 'Cumulative probability of rejecting';
  const y = { field: 'p', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } };
  const color = { field: 'scenario', type: 'nominal', title: 'Scenario', sort: [...scenarios] };
  const title = 'Cumulative rejection (power or type I error) by look (band: 95% Monte Carlo CI)';
  const description = `Share of replicate trials that have rejected the null hypothesis by each look (stopped for efficacy there or earlier), per scenario: the power, or the type I error under a null scenario; the final look's value is the design's overall rejection rate. Clopper-Pearson 95% confidence intervals as bands; the dashed line marks alpha = ${alpha}. ${rows.map((r) => `${r.scenario}, look ${r.look}: ${fmt(r.cum.p)} (${fmt(r.cum.lower)} to ${fmt(r.cum.upper)})`).join('; ')}.`;
  return {
    id: 'sequential-cumulative-rejection',
    title,
    description,
    spec: vl(title, description, {
      title: { text: title, subtitle: `dashed line: alpha = ${alpha}` },
      width: 420,
      height: 220,
      data: { values },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { datum: alpha, type: 'quantitative' } } },
        { mark: { type: 'area', opacity: 0.15 }, encoding: { x, y: { field: 'lower', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } }, y2: { field: 'upper' }, color } },
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
        { mark: { type: 'point', filled: true, size: 45 }, encoding: { x, y, color, tooltip: [{ field: 'scenario' }, { field: 'look' }, { field: 'fraction' }, { field: 'p', title: 'cumulative rejection' }, { field: 'lower' }, { field: 'upper' }, { field: 'replicates' }] } },
      ],
    }),
  };
}
