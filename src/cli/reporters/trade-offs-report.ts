/** The table of `vtrial screen --trade-offs`: what each criterion costs in screening. */
import type { TradeOffsResult } from '../../app/screen-command.js';
import { formatTable } from './format-table.js';

export function tradeOffsText(r: TradeOffsResult): string {
  const base = r.rows[0]!;
  const rows = r.rows.map((x) => [
    x.criterion ?? '(protocol as written)',
    x.change === 'threshold moved' ? `threshold: ${x.expr}` : x.change,
    `${x.screened}${x.targetReached ? '' : ' (target not reached)'}`,
    `${(100 * x.screenFailureRate).toFixed(1)}%`,
    x.screenedPerEnrolled === null ? '-' : x.screenedPerEnrolled.toFixed(2),
    x === base || x.screenedPerEnrolled === null || base.screenedPerEnrolled === null ? '' : `${x.screenedPerEnrolled - base.screenedPerEnrolled >= 0 ? '+' : ''}${(x.screenedPerEnrolled - base.screenedPerEnrolled).toFixed(2)}`,
  ]);
  return [
    `Enrolment criteria trade-offs: ${r.protocol} (target ${r.target}; the same twins screened for every row: seed ${r.seed}, replicate ${r.replicate})`,
    '',
    formatTable(['criterion', 'change', 'screened', 'screen failure', 'screened/enrolled', 'vs as written'], rows),
  ].join('\n');
}
