/**
 * The text report of `vtrial sweep` (and of `vtrial merge` of a sweep's shards): the primary
 * analyses' power at every point and scenario, and the power differences between adjacent points
 * with their Monte Carlo SE under common random numbers beside the SE independent draws would give.
 */
import type { SweepSummary } from '../design/sweep-summary.js';
import { formatTable } from './reporters/format-table.js';

const f = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? 'NA' : x.toFixed(d));
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;

export function sweepSummaryText(s: SweepSummary): string {
  const paths = s.vary.map((v) => v.path);
  const rows = s.points.flatMap((p) =>
    p.scenarios.flatMap((sc) =>
      sc.operatingCharacteristics.filter((o) => o.role === 'primary').map((o) => [String(p.point), ...paths.map((k) => String(p.values[k])), sc.name, `${o.endpoint} ${o.control ? `${o.arm} vs ${o.control}` : o.arm}`, `${f(o.power)} (${f(o.powerLower)}, ${f(o.powerUpper)})`, f(o.powerMcse), f(sc.trial.meanEnrolled, 1)]),
    ),
  );
  const diffs = s.differences.filter((d) => d.role === 'primary');
  const parts = [
    `Sweep of ${s.protocol.file}: ${s.points.length} point${s.points.length === 1 ? '' : 's'} x ${s.points[0]?.scenarios.length ?? 0} scenario${(s.points[0]?.scenarios.length ?? 0) === 1 ? "" : "s"}, ${s.replicates} replicates each (seed ${s.seed}, common random numbers)`,
    '',
    formatTable(['point', ...paths, 'scenario', 'primary analysis', 'power (95% CI)', 'MC SE', 'enrolled'], rows),
  ];
  if (diffs.length > 0) {
    parts.push(
      '',
      'Adjacent points: difference in power, its MC SE with common random numbers, and with independent draws',
      '',
      formatTable(
        ['varied', 'from', 'to', 'scenario', 'primary analysis', 'difference', 'MC SE', 'independent', 'SE ratio'],
        diffs.map((d) => [d.path, String(d.fromValue), String(d.toValue), d.scenario, `${d.endpoint} ${d.control ? `${d.arm} vs ${d.control}` : d.arm}`, signed(d.difference), f(d.differenceMcse), f(d.independentMcse), d.differenceMcse > 0 ? `${(d.independentMcse / d.differenceMcse).toFixed(1)}x` : 'NA']),
      ),
    );
  }
  return parts.join('\n');
}
