/** The sections of a replicate run, a merged set of shards, or one shard (`run --replicates`, `merge`). */
import { estimateDistributionChart, summariseEstimates } from '../charts/estimate-distribution.js';
import { rejectionRateChart } from '../charts/rejection-rates.js';
import { fixed, htmlTable } from '../html-table.js';
import { num, type CsvRow, type OutputDir } from '../output-dir.js';
import { distinct } from './run-data.js';
import type { ReportSection } from './section.js';

const analysisOf = (r: CsvRow): string => `${r.endpoint} · ${r.arm} vs ${r.control} · ${r.method}`;

/** The scenarios in the run's order (run.json), else as the rows list them. */
export function scenarios(dir: OutputDir, rows: readonly CsvRow[]): string[] {
  const s = dir.manifest?.scenarios;
  return Array.isArray(s) && s.every((x) => typeof x === 'string') ? (s as string[]) : distinct(rows, 'scenario');
}

export function alphaOf(dir: OutputDir): number {
  const p = dir.manifest?.protocol as { resolved?: { analysis?: { alpha?: unknown } } } | undefined;
  const a = p?.resolved?.analysis?.alpha;
  return typeof a === 'number' ? a : 0.05;
}

const KINDS = ['replicates', 'merge', 'shard'] as const;

const operating: ReportSection = {
  id: 'operating-characteristics',
  heading: 'Operating characteristics',
  kinds: KINDS,
  needs: ['operating-characteristics.csv'],
  build(dir) {
    const rows = dir.csv('operating-characteristics.csv');
    if (rows.length === 0) return null;
    const sc = scenarios(dir, rows);
    const chart = rejectionRateChart(sc, alphaOf(dir), rows.map((r) => ({ scenario: r.scenario!, analysis: analysisOf(r), power: num(r.power), lower: num(r.power_lower), upper: num(r.power_upper), replicates: num(r.estimable) })));
    const table = htmlTable(
      'Operating characteristics (power: share of replicates rejecting; truth: the target population\u2019s true effect)',
      ['Scenario', 'endpoint', 'comparison', 'method', 'replicates', 'power (95% CI)', 'MC SE', 'mean est.', 'truth', 'bias', 'RMSE', 'coverage'],
      rows.map((r) => [r.scenario!, r.endpoint!, `${r.arm} vs ${r.control}`, r.method!, `${r.estimable} / ${r.replicates}`, `${fixed(num(r.power))} (${fixed(num(r.power_lower))}, ${fixed(num(r.power_upper))})`, fixed(num(r.power_mcse)), fixed(num(r.mean_estimate)), fixed(num(r.true_effect)), fixed(num(r.bias)), fixed(num(r.rmse)), fixed(num(r.coverage))]),
    );
    return { charts: [chart], html: table };
  },
};

const estimates: ReportSection = {
  id: 'estimates',
  heading: 'Estimates across replicates',
  kinds: KINDS,
  needs: ['replicates.csv'],
  build(dir) {
    // One row per scenario, replicate and analysis: only the columns drawn are kept.
    const rows = dir.columns('replicates.csv', ['scenario', 'endpoint', 'measure', 'arm', 'control', 'method', 'estimate', 'true_effect']);
    if (rows.length === 0) return null;
    const summary = summariseEstimates(
      (function* () {
        for (const [scenario, endpoint, measure, arm, control, method, estimate, truth] of rows) yield { endpoint: endpoint!, measure: measure!, analysis: `${arm} vs ${control} · ${method}`, scenario: scenario!, estimate: num(estimate), truth: num(truth) };
      })(),
    );
    const order = scenarios(dir, []);
    return { charts: [estimateDistributionChart(order.length > 0 ? order : [...new Set(rows.map((r) => r[0]!))], summary)], html: '' };
  },
};

const trials: ReportSection = {
  id: 'trials',
  heading: 'Replicate trials and safety',
  kinds: KINDS,
  needs: ['replicate-trials.csv'],
  build(dir) {
    const rows = dir.csv('replicate-trials.csv');
    if (rows.length === 0) return null;
    const mean = (xs: readonly CsvRow[], c: string) => xs.reduce((s, r) => s + num(r[c]), 0) / xs.length;
    const sc = scenarios(dir, rows).filter((s) => rows.some((r) => r.scenario === s));
    let html = htmlTable(
      'Replicate trials per scenario (means over replicates)',
      ['Scenario', 'replicates', 'screened', 'eligible', 'enrolled', 'dropouts'],
      sc.map((s) => {
        const mine = rows.filter((r) => r.scenario === s);
        return [s, String(mine.length), fixed(mean(mine, 'screened'), 1), fixed(mean(mine, 'eligible'), 1), fixed(mean(mine, 'enrolled'), 1), fixed(mean(mine, 'dropouts'), 1)];
      }),
    );
    const safety = dir.csv('safety-characteristics.csv');
    if (safety.length > 0) {
      html += htmlTable(
        'Adverse-event incidence across replicates: mean (5th–95th percentile)',
        ['Scenario', 'term', 'arm', 'incidence'],
        safety.map((r) => [r.scenario!, r.term!, r.arm!, `${(100 * num(r.mean_incidence)).toFixed(1)}% (${(100 * num(r.p5)).toFixed(1)}–${(100 * num(r.p95)).toFixed(1)}%)`]),
      );
    }
    return { charts: [], html };
  },
};

export const REPLICATE_SECTIONS: readonly ReportSection[] = [operating, estimates, trials];
