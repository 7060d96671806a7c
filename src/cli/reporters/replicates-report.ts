/** Operating characteristics of a replicate run, for the terminal. */
import type { ReplicatesSummary } from '../../replicates/summary.js';
import { formatTable } from './format-table.js';
import { analysisLabel } from './analysis-report.js';

const f = (x: number | null, d = 3) => (x === null ? 'NA' : x.toFixed(d));

/** Whether a scenario's analyses declare estimands: the table then names each analysis' estimand (README "Intercurrent events and estimands"). */
const estimands = (sc: ReplicatesSummary['scenarios'][number]): boolean => sc.operatingCharacteristics.some((r) => r.estimand !== undefined);

export function replicatesSummaryText(s: ReplicatesSummary): string {
  const parts: string[] = [];
  for (const sc of s.scenarios) {
    const t = sc.trial;
    parts.push(
      `Scenario ${sc.name}${sc.description ? ` (${sc.description})` : ''}: ${t.replicates} replicates; mean screened ${t.meanScreened.toFixed(1)}, enrolled ${t.meanEnrolled.toFixed(1)}, screen failure ${(100 * t.screenFailureRate).toFixed(1)}%, dropout ${(100 * t.dropoutRate).toFixed(1)}%${t.meanPrognosticCorrelation === null ? '' : `; prognostic score vs observed control outcome: mean correlation ${t.meanPrognosticCorrelation.toFixed(3)}`}`,
      ...(t.meanStudyDurationDays === undefined ? [] : [`  calendar: mean data cut-off day ${t.meanStudyDurationDays.toFixed(1)}, mean events at it ${t.meanEventsAtCutoff!.toFixed(1)}${t.studyEndNotReached ? `; the study end's events target was not reached in ${t.studyEndNotReached} replicates` : ''}`]),
      '',
      formatTable(
        ['Endpoint', 'analysis', 'comparison', ...(sc.operatingCharacteristics.some((r) => r.meanEventsArm !== null) ? ['mean events'] : []), 'power (95% CI)', 'MC SE', 'mean est.', 'truth', 'bias', 'RMSE', 'coverage', ...(estimands(sc) ? ['estimand'] : [])],
        sc.operatingCharacteristics.map((r) => [
          `${r.endpoint}${r.role === 'primary' ? ' *' : ''}`,
          analysisLabel(r),
          r.control ? `${r.arm} vs ${r.control}` : r.arm,
          ...(sc.operatingCharacteristics.some((x) => x.meanEventsArm !== null) ? [r.meanEventsArm === null ? '-' : `${f(r.meanEventsArm, 1)}${r.meanEventsControl === null ? '' : `/${f(r.meanEventsControl, 1)}`}`] : []),
          `${f(r.power)} (${f(r.powerLower)}, ${f(r.powerUpper)})`,
          f(r.powerMcse),
          f(r.meanEstimate),
          f(r.trueEffect),
          `${f(r.bias)}${r.scale === 'log' ? ' (log)' : ''}`,
          f(r.rmse),
          f(r.coverage),
          // Last: a label can be long (one strategy per ICE type).
          ...(estimands(sc) ? [r.estimand ?? ''] : []),
        ]),
      ),
      ...sc.varianceReduction.map((v) => `  variance of ${v.endpoint} ${v.arm} ${v.analysis}: ${v.vsUnadjusted === null ? 'NA' : (100 * v.vsUnadjusted).toFixed(1) + '%'} of unadjusted, ${v.vsBaselineOnly === null ? 'NA' : (100 * v.vsBaselineOnly).toFixed(1) + '%'} of baseline-only (mean SE^2)`),
      '',
    );
  }
  parts.push('* primary; power = share of replicates rejecting (adjusted p < alpha); truth: the target population\'s true effect');
  return parts.join('\n');
}
