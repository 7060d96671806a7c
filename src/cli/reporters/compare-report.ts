/** `vtrial compare` for the terminal: per scenario, each matched analysis protocol by protocol, differences from the reference with their MC SEs. */
import type { CompareResult } from '../../app/compare-command.js';
import type { Difference } from '../../design/compare-protocols.js';
import { formatTable } from './format-table.js';
import { analysisLabel } from './analysis-report.js';

const f = (x: number | null, d = 3) => (x === null ? 'NA' : x.toFixed(d));
/** "-0.021 (0.004 | 0.011)": the difference, its paired MC SE and the independent-runs SE. */
const diff = (x: Difference | null, d = 3) => (x === null ? '-' : x.diff === null ? 'NA' : `${x.diff >= 0 ? '+' : ''}${x.diff.toFixed(d)} (${f(x.mcse, d)} | ${f(x.mcseIndependent, d)})`);

export function compareText(r: CompareResult): string {
  const s = r.summary;
  const parts = [
    `Compared ${s.protocols.length} protocols, seed ${s.seed}, ${s.replicates} replicates of each scenario; differences are from ${s.reference} (MC SE with common random numbers | as independent runs):`,
    ...s.protocols.map((p) => `  ${p.label}: ${p.file} (replicate run in ${s.directories[p.label]}/)`),
    '',
  ];
  const scenarios = [...new Set(s.rows.map((x) => x.scenario))];
  for (const sc of scenarios) {
    const rows = s.rows.filter((x) => x.scenario === sc);
    const isNull = rows.some((x) => x.nullScenario);
    parts.push(`Scenario ${sc}${isNull ? ' (no effect: power is the type I error)' : ''}`);
    parts.push(
      formatTable(
        ['Endpoint', 'analysis', 'comparison', 'protocol', isNull ? 'type I error' : 'power', 'MC SE', 'difference', 'bias', 'bias difference', 'RMSE', 'coverage'],
        rows.map((x) => [
          `${x.endpoint}${x.role === 'primary' ? ' *' : ''}`,
          analysisLabel(x),
          x.control ? `${x.arm} vs ${x.control}` : x.arm,
          x.protocol,
          f(x.oc.power),
          f(x.oc.powerMcse),
          diff(x.power),
          `${f(x.oc.bias)}${x.oc.scale === 'log' ? ' (log)' : ''}`,
          diff(x.bias),
          f(x.oc.rmse),
          f(x.oc.coverage),
        ]),
      ),
      '',
    );
  }
  parts.push(
    'Trials',
    formatTable(
      ['scenario', 'protocol', 'screened', 'enrolled', 'screen failure', 'dropout', 'enrolled difference', 'dropout difference'],
      s.trials.map((t) => [t.scenario, t.protocol, f(t.meanScreened, 1), f(t.meanEnrolled, 1), `${(100 * t.screenFailureRate).toFixed(1)}%`, `${(100 * t.dropoutRate).toFixed(1)}%`, diff(t.enrolled, 1), diff(t.dropout)]),
    ),
  );
  if (s.designs.length) {
    const n = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));
    parts.push(
      '',
      'Designs (the primary hypothesis: a group-sequential design rejects at any look, a fixed one at the study end; patients, information and days at the deciding analysis)',
      formatTable(
        ['scenario', 'protocol', 'design', 'reject', 'MC SE', 'difference', 'patients', 'difference', 'information', 'difference', 'days', 'difference'],
        s.designs.map((d) => [d.scenario, d.protocol, d.design, f(d.reject), f(d.rejectMcse), diff(d.rejectDiff), n(d.meanPatients), diff(d.patientsDiff, 1), n(d.meanInformation), diff(d.informationDiff, 1), n(d.meanDurationDays), diff(d.durationDiff, 1)]),
      ),
    );
  }
  if (s.unmatched.length) parts.push('', 'Not compared (not in every protocol):', ...s.unmatched.map((u) => `  ${u.what} ${u.key}: only in ${u.in.join(', ')}`));
  if (s.failIf) parts.push('', s.failIf.holds ? `--fail-if "${s.failIf.condition}" holds for: ${s.failIf.hits.map((h) => `${h.protocol} ${h.analysis}${h.na ? ` (${h.na})` : ''}`).join('; ')}` : `--fail-if "${s.failIf.condition}" holds for no protocol`);
  parts.push('', `* primary. Wrote ${r.out} (${r.seconds.toFixed(1)} s)`);
  return parts.join('\n');
}
