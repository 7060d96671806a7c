/**
 * Reporters: how each command's result is printed. The CLI picks one from this map by
 * `--format`; `json` is stable for pipelines, `text` is for people.
 */
import type { CohortCommandResult } from '../../app/cohort-command.js';
import type { RunCommandResult } from '../../app/run-command.js';
import type { AnalyzeCommandResult } from '../../app/analyze-command.js';
import { efficacyText, safetyText } from './analysis-report.js';
import type { ReplicatesResult } from '../../app/replicates-command.js';
import type { MergeResult } from '../../app/merge-command.js';
import { replicatesSummaryText } from './replicates-report.js';
import type { ScreenCommandResult } from '../../app/screen-command.js';
import type { ValidateEntry } from '../../app/validate-command.js';
import type { ReportFormat } from '../options.js';
import { screeningFlowText } from './screening-report.js';
import { formatTable } from './format-table.js';
import type { SampleSizeResult } from '../../app/sample-size-command.js';
import { sampleSizeText } from './sample-size-report.js';
import type { CompareResult } from '../../app/compare-command.js';
import { compareText } from './compare-report.js';
import { interimLooksText } from './interim-looks-report.js';

type Reporter<T> = (result: T) => string;

function prognosticLines(r: RunCommandResult): string[] {
  if (!r.prognostic) return [];
  const lines = [`Prognostic score for ${r.prognostic.endpoint}: ${r.prognostic.method}; correlation with the observed control outcome ${r.prognostic.correlation === null ? 'NA' : r.prognostic.correlation.toFixed(3)} (n = ${r.prognostic.n})`];
  for (const v of r.varianceReduction) {
    const pct = (x: number | null) => (x === null ? 'NA' : `${(100 * (1 - x)).toFixed(1)}%`);
    lines.push(`  ${v.endpoint} ${v.arm} ${v.analysis}: variance reduced by ${pct(v.vsUnadjusted)} vs unadjusted, ${pct(v.vsBaselineOnly)} vs baseline only`);
  }
  return lines;
}

const json = <T>(result: T): string => JSON.stringify(result, null, 2);

export const reporters: {
  cohort: Record<ReportFormat, Reporter<CohortCommandResult>>;
  screen: Record<ReportFormat, Reporter<ScreenCommandResult>>;
  validate: Record<ReportFormat, Reporter<ValidateEntry[]>>;
  run: Record<ReportFormat, Reporter<RunCommandResult>>;
  analyze: Record<ReportFormat, Reporter<AnalyzeCommandResult>>;
  replicates: Record<ReportFormat, Reporter<ReplicatesResult>>;
  merge: Record<ReportFormat, Reporter<MergeResult>>;
  sampleSize: Record<ReportFormat, Reporter<SampleSizeResult>>;
  compare: Record<ReportFormat, Reporter<CompareResult>>;
} = {
  compare: { text: compareText, json: (r) => JSON.stringify(r.summary, null, 2) },
  sampleSize: { text: sampleSizeText, json },
  replicates: {
    text: (r) =>
      r.summary
        ? `${replicatesSummaryText(r.summary)}\n\nWrote ${r.out} (${r.replicatesRun} replicate trials in ${r.seconds.toFixed(1)} s)`
        : `Shard ${r.shard!.k}/${r.shard!.n}: ${r.replicatesRun} replicate trials in ${r.seconds.toFixed(1)} s, records written to ${r.out} (combine all shards with vtrial merge)`,
    json: (r) => JSON.stringify(r.summary ?? { shard: r.shard, out: r.out, replicates: r.replicatesRun }, null, 2),
  },
  merge: {
    text: (r) => `${replicatesSummaryText(r.summary)}\n\nMerged ${r.shards} shards into ${r.out}`,
    json: (r) => JSON.stringify(r.summary, null, 2),
  },
  analyze: {
    text: (r) =>
      [
        `Analysed ${r.dir} with the plan of ${r.protocol}${r.truthAvailable ? '' : ' (no counterfactual.csv: the true effects are unknown)'}.`,
        '',
        efficacyText(r.efficacy),
        '',
        safetyText(r.safety),
        '',
        `Wrote ${r.files.join(', ')} to ${r.out}`,
      ].join('\n'),
    json: (r) => JSON.stringify({ protocol: r.protocol, analysed: r.dir, out: r.out, files: r.files, efficacy: r.efficacy, safety: r.safety }, null, 2),
  },
  run: {
    text: (r) =>
      [
        `Simulated ${r.protocol} (cohort ${r.cohort}, seed ${r.seed}): screened ${r.screened}, eligible ${r.eligible}, enrolled ${r.enrolled}.`,
        '',
        formatTable(
          ['Arm', 'role', 'randomised', 'completed', 'discontinued', 'with any AE'],
          r.arms.map((a) => [a.arm, a.role, a.randomised, a.completed, a.discontinued, a.withAdverseEvent]),
        ),
        '',
        efficacyText(r.efficacy),
        ...interimLooksText(r.sequential),
        ...prognosticLines(r),
        '',
        safetyText(r.safety),
        '',
        `Wrote ${r.files.join(', ')} to ${r.out}`,
      ].join('\n'),
    json,
  },
  cohort: {
    text: (r) => {
      const head = `Wrote ${r.twins} twins of ${r.cohort} (seed ${r.seed}, replicate ${r.replicate}) to ${r.out === '-' ? 'standard output' : r.out} as ${r.format.toUpperCase()}.`;
      return r.screening ? `${head}\nScreened against ${r.screening.protocol}:\n\n${screeningFlowText(r.screening)}` : head;
    },
    json,
  },
  screen: {
    text: (r) => `Screening ${r.protocol} (cohort ${r.cohort}, seed ${r.seed}, replicate ${r.replicate})\n\n${screeningFlowText(r)}`,
    json,
  },
  validate: {
    text: (entries) =>
      entries.map((e) => (e.ok ? `ok       ${e.file} (${e.kind})` : `invalid  ${e.file} (${e.kind})\n${e.problems.map((p) => `  ${p}`).join('\n')}`)).join('\n'),
    json,
  },
};
