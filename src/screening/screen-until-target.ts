/**
 * Screens twins 0, 1, 2, ... of a replicate until the enrolment target is met or the screening
 * cap is reached. Never drops or resamples a twin: the enrolled twins are exactly the first
 * `target` eligible ones, and a shortfall is reported, not hidden.
 */
import type { CohortModel, Row } from '../cohort/cohort-model.js';
import { generateTwin } from '../cohort/generate-twin.js';
import type { Criterion } from './criteria.js';
import { ScreeningTally, screenTwin, type ScreeningFlow } from './screening-tally.js';

export interface ScreeningResult {
  flow: ScreeningFlow;
  /** Enrolled twins with their patient index (their key in every random stream). */
  enrolled: { patient: number; row: Row }[];
}

export interface ScreeningOptions {
  seed: number;
  replicate: number;
  target: number;
  maxScreened: number;
  /** First patient index (external control twins use a large offset). */
  patientOffset?: number;
  /** Called for every screened twin (e.g. to write ADSL rows); optional. */
  onTwin?: (patient: number, row: Row, firstFailed: number, enrolled: boolean) => void;
}

export function screenUntilTarget(model: CohortModel, criteria: readonly Criterion[], o: ScreeningOptions): ScreeningResult {
  const tally = new ScreeningTally(criteria, o.target, o.maxScreened);
  const enrolled: ScreeningResult['enrolled'] = [];
  const first = o.patientOffset ?? 0;
  for (let patient = first; patient < first + o.maxScreened && !tally.done; patient++) {
    const row = generateTwin(model, { seed: o.seed, replicate: o.replicate, patient });
    const s = screenTwin(criteria, row, { replicate: o.replicate, patient });
    const isEnrolled = tally.add(s);
    if (isEnrolled) enrolled.push({ patient, row });
    o.onTwin?.(patient, row, s.firstFailed, isEnrolled);
  }
  return { flow: tally.flow(), enrolled };
}

/** A plain-language explanation of a shortfall, naming the criteria that exclude the most. */
export function explainShortfall(flow: ScreeningFlow): string {
  const worst = [...flow.criteria].sort((a, b) => b.excluded - a.excluded).slice(0, 3).filter((c) => c.excluded > 0);
  const pct = (x: number) => `${((100 * x) / Math.max(flow.screened, 1)).toFixed(1)}%`;
  const parts = [
    `enrolment target not reached: ${flow.enrolled} of ${flow.target} twins enrolled after screening ${flow.screened} (the screening cap).`,
    `${flow.eligible} of ${flow.screened} screened twins (${pct(flow.eligible)}) met all criteria.`,
  ];
  if (worst.length) parts.push(`Most exclusions: ${worst.map((c) => `${c.id} (${c.excluded}, ${pct(c.excluded)})`).join(', ')}.`);
  if (flow.eligible > 0) {
    const needed = Math.ceil((flow.target * flow.screened) / flow.eligible);
    parts.push(`At this eligibility rate about ${needed} twins must be screened: raise enrolment.max_screened, or relax the criteria.`);
  } else {
    parts.push('No twin met all criteria: check the criteria against the cohort (e.g. units, levels).');
  }
  return parts.join(' ');
}
