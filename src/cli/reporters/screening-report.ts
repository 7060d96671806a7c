/** The CONSORT-style screening flow as a terminal table. */
import type { ScreeningFlow } from '../../screening/screening-tally.js';
import { formatTable, percent } from './format-table.js';

export function screeningFlowText(flow: ScreeningFlow): string {
  const rows: (string | number)[][] = [['Screened', flow.screened, '', '']];
  rows.push(['Excluded', flow.excluded, percent(flow.excluded, flow.screened), '']);
  for (const c of flow.criteria) {
    rows.push([`  ${c.kind === 'inclusion' ? 'not met' : 'met'}: ${c.id}`, c.excluded, percent(c.excluded, flow.screened), `${c.failing} (${percent(c.failing, flow.screened)})`]);
  }
  rows.push(['Eligible', flow.eligible, percent(flow.eligible, flow.screened), '']);
  rows.push([`Enrolled (target ${flow.target})`, flow.enrolled, '', '']);
  const table = formatTable(['Screening flow', 'twins', '% screened', 'failing at all'], rows);
  const notes = [
    `Screen-failure rate: ${(100 * flow.screenFailureRate).toFixed(1)}%`,
    flow.screenedToTarget !== null
      ? `Twins screened to enrol the target of ${flow.target}: ${flow.screenedToTarget}`
      : flow.eligible > 0
        ? `Twins needed to enrol the target of ${flow.target}: about ${Math.ceil((flow.target * flow.screened) / flow.eligible)} at this eligibility rate (not reached here)`
        : `Target of ${flow.target} not reachable: no twin is eligible`,
  ];
  const legend = 'Excluded rows count each twin once, by the first criterion it fails (inclusion criteria first); "failing at all" counts every twin failing that criterion.';
  return [table, '', ...notes, legend].join('\n');
}
