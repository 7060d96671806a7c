/**
 * The sections of `vtrial screen --trade-offs --replicates R --out DIR`, from trade-offs.csv: per
 * criteria variant, its screening cost (screen-failure change, twins screened per enrolled) and
 * what it changes in power (the paired difference from the protocol as written with its common-
 * random-numbers MC SE beside the independent one), and the table of every row. Each variant's
 * replicate run is in points/<id>/ with a report of its own.
 */
import type { Chart } from '../chart.js';
import { pairedDifferenceChart } from '../charts/paired-differences.js';
import { screeningCostChart, type ScreeningCost } from '../charts/trade-offs.js';
import { fixed, htmlTable } from '../html-table.js';
import { num, type CsvRow } from '../output-dir.js';
import { analysisLabel, ordered } from './design-data.js';
import type { ReportSection } from './section.js';

const CSV = 'trade-offs.csv';

/** "(protocol as written)", "inclusion.older removed", "inclusion.older threshold: age >= 45.0". */
export function variantLabel(r: CsvRow): string {
  if (r.variant === '1' || r.criterion === 'NA' || !r.criterion) return '(protocol as written)';
  return `${r.criterion} ${r.change}${r.expr && r.expr !== 'NA' && r.change !== 'removed' ? `: ${r.expr}` : ''}`;
}

const key = (r: CsvRow) => analysisLabel({ endpoint: r.endpoint ?? '', role: 'primary', method: r.method ?? '', covariates: r.covariates ?? '', arm: r.arm ?? '', control: r.control ?? '' });
const isNull = (r: CsvRow) => r.null_scenario === 'Y';
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${fixed(x)}` : '');

const tradeOffs: ReportSection = {
  id: 'trade-offs',
  heading: 'Enrolment criteria trade-offs',
  kinds: ['trade-offs'],
  needs: [CSV],
  build(dir) {
    const rows = dir.csv(CSV);
    if (rows.length === 0) return null;
    const charts: Chart[] = [];
    // Screening is the same twins in every scenario; drawn for the first effect scenario (else the first).
    const scenario = (rows.find((r) => !isNull(r)) ?? rows[0]!).scenario!;
    const perVariant = new Map<string, ScreeningCost>();
    for (const r of rows) if (r.scenario === scenario && !perVariant.has(r.variant!)) perVariant.set(r.variant!, { variant: variantLabel(r), screenFailureRate: num(r.screen_failure_rate), screenedPerEnrolled: num(r.screened_per_enrolled) });
    const asWritten = perVariant.get('1');
    if (asWritten) charts.push(screeningCostChart(scenario, asWritten, [...perVariant.values()]));
    const diffs = rows.filter((r) => Number.isFinite(num(r.power_difference)));
    if (diffs.length > 0) {
      charts.push(
        pairedDifferenceChart(
          'trade-offs-power',
          'Change in power from the protocol as written (95% Monte Carlo intervals)',
          'Difference in power or type I error (variant − as written)',
          diffs.map((r) => ({ parts: [variantLabel(r), r.scenario + (isNull(r) ? ' (type I error)' : ''), key(r)], difference: num(r.power_difference), pairedSe: num(r.difference_mcse), independentSe: num(r.independent_mcse) })),
        ),
      );
    }
    const scenarios = ordered(rows.map((r) => r.scenario!));
    const table = htmlTable(
      'Every variant, scenario and primary analysis (trade-offs.csv): power difference (MC SE with common random numbers | as independent runs)',
      ['Variant', 'scenario', 'analysis', 'screen failure', 'screened/enrolled', 'power (MC SE)', 'vs as written', 'ITE SD'],
      rows.map((r) => [
        variantLabel(r),
        r.scenario + (isNull(r) ? ' (type I error)' : ''),
        key(r),
        `${fixed(100 * num(r.screen_failure_rate), 1)}%`,
        fixed(num(r.screened_per_enrolled), 2),
        `${fixed(num(r.power))} (${fixed(num(r.power_mcse))})`,
        Number.isFinite(num(r.power_difference)) ? `${signed(num(r.power_difference))} (${fixed(num(r.difference_mcse))} | ${fixed(num(r.independent_mcse))})` : '',
        fixed(num(r.ite_sd)),
      ]),
    );
    const lead = `<p>Every variant screens the same twins (same seed: common random numbers), so the variants differ by their criteria alone; scenarios: ${scenarios.join(', ')}. Each variant's replicate run is in <code>points/&lt;id&gt;/</code> (vtrial report of that folder draws it).</p>`;
    return { charts, html: lead + table };
  },
};

export const TRADE_OFFS_SECTIONS: readonly ReportSection[] = [tradeOffs];
