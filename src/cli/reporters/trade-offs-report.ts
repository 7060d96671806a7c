/** The table of `vtrial screen --trade-offs`: what each criterion costs in screening. */
import type { TradeOffsReplicatesResult, TradeOffsResult } from '../../app/screen-command.js';
import type { TradeOffReplicateRow } from '../../design/trade-offs.js';
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

const f = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? 'NA' : x.toFixed(d));
/** With its sign; a difference that rounds to zero is +0.000. */
const signed = (x: number, d = 3) => {
  const t = x.toFixed(d);
  return Number(t) === 0 ? `+${t.replace('-', '')}` : `${x > 0 ? '+' : ''}${t}`;
};

/**
 * `vtrial screen --trade-offs --replicates R`: per variant and primary analysis, in one scenario
 * (base, else the first with efficacy; the others are in trade-offs.csv and --format json), the
 * screening cost, power with its paired difference from the protocol as written, the type I error
 * under the protocol's (first) null scenario, and the spread of individual effects.
 */
export function tradeOffsReplicatesText(r: TradeOffsReplicatesResult): string {
  const nulls = new Set(r.nullScenarios);
  const shown = r.scenarios.includes('base') ? 'base' : (r.scenarios.find((s) => !nulls.has(s)) ?? r.scenarios[0]!);
  const nullName = r.nullScenarios.find((s) => s !== shown);
  const rows = r.rows.filter((x) => x.scenario === shown);
  const analysis = (x: TradeOffReplicateRow) => `${x.endpoint} ${x.method}${x.covariates ? ` (${x.covariates})` : ''} ${x.arm} vs ${x.control}`;
  const several = new Set(rows.map(analysis)).size > 1;
  // Short names when they tell the analyses apart: the endpoint and the arm.
  const short = (x: TradeOffReplicateRow) => `${x.endpoint} ${x.arm}`;
  const label = new Set(rows.map(short)).size === new Set(rows.map(analysis)).size ? short : analysis;
  const type1 = (x: TradeOffReplicateRow) => r.rows.find((y) => y.variant === x.variant && y.scenario === nullName && analysis(y) === analysis(x));
  const scale = rows.find((x) => x.iteScale !== null)?.iteScale;
  // With interim looks the power shown is the group-sequential design's (rejection at any look); the study end's analysis beside it.
  const seq = rows.some((x) => x.seqPower !== undefined);
  const table = rows.map((x) => [
    x.criterion ?? '(protocol as written)',
    x.change === 'threshold moved' ? `threshold: ${x.expr}` : x.change,
    ...(several ? [label(x)] : []),
    `${(100 * x.screenFailureRate).toFixed(1)}%`,
    x.screenedPerEnrolled.toFixed(2),
    ...(seq
      ? [`${f(x.seqPower ?? null)} (${f(x.seqPowerMcse ?? null)})`, x.seqPowerDifference == null ? '' : `${signed(x.seqPowerDifference)} (${f(x.seqDifferenceMcse ?? null)})`, `${f(x.power)} (${f(x.powerMcse)})`]
      : [`${f(x.power)} (${f(x.powerMcse)})`, x.powerDifference === null ? '' : `${signed(x.powerDifference)} (${f(x.differenceMcse)})`]),
    ...(nullName ? [f((seq ? type1(x)?.seqPower : type1(x)?.power) ?? null)] : []),
    f(x.iteMean),
    f(x.iteSd),
    x.iteSdDifference === null ? '' : `${signed(x.iteSdDifference)} (${f(x.iteSdDifferenceMcse)})`,
  ]);
  const iteWhat = scale === 'log_time_ratio' ? 'individual effects: log T(arm) - log T(control), latent event times' : 'individual effects: endpoint under the arm minus under the control';
  return [
    `Enrolment criteria trade-offs: ${r.protocol}, ${r.replicates} replicates per variant and scenario (seed ${r.seed}; common random numbers: the variants differ by their criteria alone)`,
    ...(seq ? ['Interim looks: power and type I error are the group-sequential design\'s (rejection at any look); study-end power is the same twins analysed once at the study end, as without looks'] : []),
    `Scenario ${shown}${nullName ? `; type I error under ${nullName}` : ''}; ${iteWhat} of the enrolled twins (mean and SD per replicate, averaged); vs as written: paired difference (MC SE)`,
    '',
    formatTable(['criterion', 'change', ...(several ? ['analysis'] : []), 'screen failure', 'screened/enrolled', ...(seq ? ['design power (MC SE)', 'vs as written', 'study-end power (MC SE)'] : ['power (MC SE)', 'vs as written']), ...(nullName ? ['type I error'] : []), 'ITE mean', 'ITE SD', 'ITE SD vs as written'], table),
  ].join('\n');
}
