/** The looks of a single run with interim analyses (README "Interim analyses"): where the trial stopped, and each look. */
import type { RunSequential } from '../../app/run-command.js';
import { formatTable } from './format-table.js';

const num = (x: number | null, digits: number): string => (x === null ? 'NA' : x.toFixed(digits));

export function interimLooksText(s: RunSequential | undefined): string[] {
  if (!s) return [];
  const why = s.decision === 'efficacy' ? 'for efficacy' : s.decision === 'futility' ? 'for futility' : 'at the final analysis';
  const head =
    s.stopLook < s.looks
      ? `Interim analyses: stopped ${why} at look ${s.stopLook} of ${s.looks} (day ${num(s.day, 1)}, information ${s.information}, ${s.patients} patients randomised).`
      : `Interim analyses: no early stop; the trial ran to its final look ${s.looks} (day ${num(s.day, 1)}, information ${s.information})${s.decision === 'efficacy' ? ': H0 rejected' : ': H0 not rejected'}.`;
  const outputs = s.ignoringStopping ? `The outputs are the trial at its planned end (day ${num(s.analysedDay, 1)}; --ignore-stopping).` : `The outputs are the trial as observed at day ${num(s.analysedDay, 1)}.`;
  const table = formatTable(
    ['look', 'planned', 'day', 'information', 'estimate', '95% CI', 'z', 'efficacy bound', 'futility bound', 'decision'],
    s.perLook.map((l) => [
      `${l.look}${l.stopped ? ' (stop)' : ''}`,
      l.planned,
      num(l.day, 1),
      l.information === null ? 'NA' : String(l.information),
      num(l.estimate, 3),
      l.lower === null || l.upper === null ? 'NA' : `${l.lower.toFixed(3)} to ${l.upper.toFixed(3)}`,
      num(l.z, 3),
      num(l.efficacyBound, 3),
      l.futilityBound === null ? '' : `${l.futilityBound.toFixed(3)}${l.futilityConditionalPower !== null ? ` (CP ${l.futilityConditionalPower})` : ''}`,
      l.afterStop && l.decision !== 'not run' ? `(${l.decision}: futility ignored)` : l.decision,
    ]),
  );
  return ['', head, outputs, '', table];
}
