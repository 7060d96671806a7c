/** The sections that make a report traceable: the run manifest and the resolved protocol. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { htmlTable } from '../html-table.js';
import { escapeHtml } from '../html-text.js';
import type { ReportSection } from './section.js';

interface FileRef {
  file?: string;
  sha256?: string;
}

const manifest: ReportSection = {
  id: 'manifest',
  heading: 'Run manifest',
  kinds: ['run', 'replicates', 'merge', 'shard', 'sweep', 'sample-size', 'trade-offs'],
  needs: ['run.json'],
  build(dir) {
    const m = dir.manifest!;
    const protocol = (m.protocol ?? {}) as FileRef;
    const cohort = (m.cohort ?? {}) as FileRef;
    const sha = createHash('sha256').update(readFileSync(join(dir.path, 'run.json'))).digest('hex');
    const rows: string[][] = [
      ['vtrial version', String(m.vtrial)],
      ['command', Array.isArray(m.command) ? (m.command as string[]).join(' ') : m.command == null ? '(not recorded)' : String(m.command)],
      ['seed', String(m.seed)],
      ['replicates', String(m.replicates)],
      // A sample-size search's run.json names the protocol only (its cohort is in its runs' run.json).
      ...(protocol.file === undefined ? [] : [['protocol', `${protocol.file} (SHA-256 ${protocol.sha256})`]]),
      ...(cohort.file === undefined ? [] : [['cohort', `${cohort.file} (SHA-256 ${cohort.sha256})`]]),
      ...((m.inputs ?? []) as FileRef[]).map((i) => ['input', `${i.file} (SHA-256 ${i.sha256})`]),
      ...(Array.isArray(m.mergedFrom) ? [['merged from', (m.mergedFrom as string[]).join(', ')]] : []),
      ...(m.shard && typeof m.shard === 'object' ? [['shard', `${(m.shard as { k: number }).k} of ${(m.shard as { n: number }).n}`]] : []),
      ['run.json', `SHA-256 ${sha}`],
    ];
    const files = Object.entries((m.files ?? {}) as Record<string, { rows?: number; sha256?: string }>).map(([name, f]) => [name, f.rows === undefined ? '' : String(f.rows), f.sha256 ?? '']);
    return { charts: [], html: htmlTable('The run (run.json)', ['Item', 'value'], rows, 'data manifest') + htmlTable('Files of the run, as run.json records them', ['File', 'rows', 'SHA-256'], files, 'data manifest') };
  },
};

const protocol: ReportSection = {
  id: 'protocol',
  heading: 'Resolved protocol',
  kinds: ['run', 'replicates', 'merge', 'shard'],
  needs: ['run.json'],
  build(dir) {
    const resolved = (dir.manifest?.protocol as { resolved?: unknown } | undefined)?.resolved;
    if (resolved === undefined) return null;
    return { charts: [], html: `<details><summary>The protocol as the run resolved it (defaults filled in)</summary><pre>${escapeHtml(stringify(resolved, { lineWidth: 0 }))}</pre></details>` };
  },
};

export const RECORD_SECTIONS: readonly ReportSection[] = [manifest, protocol];
