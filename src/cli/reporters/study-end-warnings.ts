/**
 * Warnings for an event-driven study end that was not reached: the trial then ended at the last
 * patient's last visit with fewer events than planned, and its analyses ran there. Printed on
 * stderr (also with --format json) so that neither a reader nor a pipeline misses it.
 */
import type { TrialCutoff } from '../../trial/calendar-cutoff.js';
import type { ReplicatesSummary } from '../../replicates/summary.js';

export function runStudyEndWarnings(cutoff: TrialCutoff | undefined): string[] {
  if (!cutoff || cutoff.reached) return [];
  return [`warning: the study end's events target was not reached (${cutoff.events} ${cutoff.endpoint ?? ''} events by the last patient's last visit, day ${cutoff.day.toFixed(1)}): the data were cut and analysed there`];
}

export function replicatesStudyEndWarnings(summary: ReplicatesSummary | null): string[] {
  if (!summary) return [];
  return summary.scenarios.flatMap((sc) => {
    const missed = sc.trial.studyEndNotReached ?? 0;
    if (missed === 0) return [];
    return [`warning: scenario ${sc.name}: the study end's events target was not reached in ${missed} of ${sc.trial.replicates} replicates (mean ${sc.trial.meanEventsAtCutoff!.toFixed(1)} events at the cut-off): those were cut and analysed at the last patient's last visit`];
  });
}
