/**
 * `vtrial report DIR [--out FILE.html]`: one self-contained HTML page of charts and tables from
 * an output directory (a run, a replicate run, merged shards, a shard, an analyze output), with
 * each chart's Vega-Lite specification written as JSON beside it.
 */
import { writeReport } from '../report/write-report.js';

export { REPORT_FILE } from '../report/write-report.js';
import type { DirKind } from '../report/output-dir.js';

export interface ReportCommandOptions {
  dir: string;
  /** The page (default DIR/report.html). */
  out?: string;
  /** Replace an existing --out file. */
  force?: boolean;
}

export interface ReportCommandResult {
  dir: string;
  kind: DirKind;
  file: string;
  specDir: string;
  bytes: number;
  charts: { id: string; title: string }[];
  /** Warnings of vega-lite and vega while drawing (none expected). */
  warnings: string[];
}

export async function reportCommand(o: ReportCommandOptions): Promise<ReportCommandResult> {
  const r = await writeReport(o.dir, o.out, Boolean(o.force));
  return { dir: o.dir, kind: r.kind, file: r.file, specDir: r.specDir, bytes: r.bytes, charts: r.charts.map((c) => ({ id: c.id, title: c.title })), warnings: [...r.warnings] };
}

/** One line for the terminal: what was written. */
export function reportText(r: ReportCommandResult): string {
  return `Wrote ${r.file} (${r.charts.length} chart${r.charts.length === 1 ? '' : 's'}, ${(r.bytes / 1024).toFixed(0)} kB) and the charts' Vega-Lite specifications in ${r.specDir}/`;
}
