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
  // With accrual: the mean cut-off day and events by then, per point and scenario.
  const calendar = s.points.some((p) => p.scenarios.some((sc) => sc.trial.meanStudyDurationDays !== undefined));
  const rows = s.points.flatMap((p) =>
    p.scenarios.flatMap((sc) =>
      sc.operatingCharacteristics.filter((o) => o.role === 'primary').map((o) => [
        String(p.point), ...paths.map((k) => String(p.values[k])), sc.name, `${o.endpoint} ${o.control ? `${o.arm} vs ${o.control}` : o.arm}`, `${f(o.power)} (${f(o.powerLower)}, ${f(o.powerUpper)})`, f(o.powerMcse), f(sc.trial.meanEnrolled, 1),
        ...(calendar ? [f(sc.trial.meanStudyDurationDays ?? null, 0), f(sc.trial.meanEventsAtCutoff ?? null, 1)] : []),
      ]),
    ),
  );
  const sequential = s.points.flatMap((p) => p.scenarios.flatMap((sc) => (sc.sequential ? [{ p, sc, q: sc.sequential }] : [])));
  const looks = Math.max(0, ...sequential.map((x) => x.q.perLook.length));
  const diffs = s.differences.filter((d) => d.role === 'primary');
  const parts = [
    `Sweep of ${s.protocol.file}: ${s.points.length} point${s.points.length === 1 ? '' : 's'} x ${s.points[0]?.scenarios.length ?? 0} scenario${(s.points[0]?.scenarios.length ?? 0) === 1 ? "" : "s"}, ${s.replicates} replicates each (seed ${s.seed}, common random numbers)`,
    '',
    formatTable(['point', ...paths, 'scenario', 'primary analysis', sequential.length > 0 ? 'fixed-design power (95% CI)' : 'power (95% CI)', 'MC SE', 'enrolled', ...(calendar ? ['duration (days)', 'events at cut-off'] : [])], rows),
  ];
  if (sequential.length > 0) {
    parts.push(
      '',
      'The group-sequential design (its looks test the first primary analysis; the power above is the same analysis at the study end alone, on the same twins)',
      '',
      formatTable(
        ['point', ...paths, 'scenario', 'power (MC SE)', 'ignoring futility', 'E[patients]', 'E[information]', 'E[duration, days]', ...Array.from({ length: looks }, (_, k) => `P(stop at ${k + 1})`)],
        sequential.map(({ p, sc, q }) => [
          String(p.point), ...paths.map((k) => String(p.values[k])), sc.name, `${f(q.overallReject)} (${f(q.overallRejectMcse)})`, f(q.rejectIgnoringFutility), f(q.expectedPatients, 1), f(q.expectedInformation, 1), f(q.expectedDurationDays, 0),
          ...Array.from({ length: looks }, (_, k) => f(q.perLook[k]?.pStop ?? null)),
        ]),
      ),
    );
  }
  if (diffs.length > 0) {
    parts.push(
      '',
      'Adjacent points: difference in power, its MC SE with common random numbers, and with independent draws',
      '',
      formatTable(
        ['varied', 'from', 'to', 'scenario', 'primary analysis', 'difference', 'MC SE', 'independent', 'SE ratio'],
        diffs.flatMap((d) => {
          const row = (what: string, x: { difference: number; differenceMcse: number; independentMcse: number }) => [d.path, String(d.fromValue), String(d.toValue), d.scenario, `${d.endpoint} ${d.control ? `${d.arm} vs ${d.control}` : d.arm}${what}`, signed(x.difference), f(x.differenceMcse), f(x.independentMcse), x.differenceMcse > 0 ? `${(x.independentMcse / x.differenceMcse).toFixed(1)}x` : 'NA'];
          return d.sequential ? [row(' (fixed design)', d), row(' (group-sequential)', d.sequential)] : [row('', d)];
        }),
      ),
    );
  }
  return parts.join('\n');
}
