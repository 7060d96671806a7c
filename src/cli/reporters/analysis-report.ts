/** Efficacy and AE tables for the terminal. */
import type { EfficacyRow } from '../../analysis/efficacy.js';
import type { SafetyRow } from '../../analysis/safety.js';
import { formatTable } from './format-table.js';

const fmt = (x: number | null, digits = 3): string => (x === null ? 'NA' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(digits));
const fmtP = (p: number | null): string => (p === null ? 'NA' : p < 1e-4 ? '<0.0001' : p.toFixed(4));

/** The method and its covariates, so that analyses of one endpoint can be told apart: "ancova(BASE+AGE)". */
export const analysisLabel = (r: { method: string; covariates: string }): string => (r.covariates ? `${r.method}(${r.covariates})` : r.method);

/** Events in the arm and in the control ("45/61"; the arm's alone for a single-arm estimate). */
const eventsText = (r: EfficacyRow): string => (r.eventsArm === null ? '-' : r.eventsControl === null ? `${r.eventsArm}` : `${r.eventsArm}/${r.eventsControl}`);

export function efficacyText(rows: readonly EfficacyRow[]): string {
  if (rows.length === 0) return 'No efficacy analyses (the protocol has no endpoints).';
  const events = rows.some((r) => r.eventsArm !== null);
  const table = formatTable(
    ['Endpoint', 'analysis', 'comparison', ...(events ? ['events'] : []), 'measure', 'estimate (95% CI)', 'p', 'p adj.', 'reject', 'truth'],
    rows.map((r) => [
      `${r.endpoint}${r.role === 'primary' ? ' *' : ''}`,
      analysisLabel(r),
      r.control ? `${r.arm} vs ${r.control}` : r.arm,
      ...(events ? [eventsText(r)] : []),
      r.measure || '-',
      `${fmt(r.estimate)} (${fmt(r.lower)}, ${fmt(r.upper)})`,
      fmtP(r.p),
      fmtP(r.pAdjusted),
      r.reject === null ? '-' : r.reject ? 'yes' : 'no',
      fmt(r.trueEffect),
    ]),
  );
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.endpoint} ${analysisLabel(r)} ${r.arm}: ${r.note}`);
  const legend = `* primary endpoint;${events ? ' events: arm/control (time to event);' : ''} truth: the same quantity on all enrolled twins' counterfactual outcomes`;
  return [table, legend, ...(notes.length ? ['Notes:', ...notes] : [])].join('\n');
}

export function safetyText(rows: readonly SafetyRow[]): string {
  const arms = [...new Set(rows.map((r) => r.arm))];
  const keys = [...new Set(rows.map((r) => `${r.category}\u0000${r.item}`))];
  const body = keys.map((k) => {
    const [category, item] = k.split('\u0000') as [string, string];
    const label = category === 'term' ? item : category === 'worst grade' ? `worst grade ${item}` : category === 'any' ? 'any adverse event' : category;
    return [label, ...arms.map((a) => {
      const r = rows.find((x) => x.arm === a && x.category === category && x.item === item)!;
      return `${r.n} (${r.percent.toFixed(1)}%)`;
    })];
  });
  const header = ['Subjects with', ...arms.map((a) => `${a} (N=${rows.find((r) => r.arm === a)?.subjects ?? 0})`)];
  return formatTable(header, body);
}
