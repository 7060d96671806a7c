/**
 * README's "Output files" table is made from the output-file registry (src/io/output-files.ts):
 * this test fails when they differ and prints the table to paste into the README.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FILES, PATIENTS_FOLDER, POINTS_FOLDER, SHARD_FILES, type ColumnPart, type OutputFile, type OutputKind } from '../../src/io/output-files.js';
import { REPO } from '../adversarial/harness.js';

const HEADING = '### Output files';

const KIND: Record<OutputKind, string> = { run: '`run`', replicates: '`run --replicates`', merge: '`merge`', analyze: '`analyze`', compare: '`compare`', sweep: '`sweep`', 'sample-size': '`sample-size PROTOCOL`', 'trade-offs': '`screen --trade-offs --replicates`' };

const code = (s: string) => `\`${s}\``;
const column = (p: ColumnPart): string => (typeof p === 'string' ? code(p) : 'optional' in p ? `${code(p.optional)} (${p.when})` : `*${p.variable}*`);

function writtenBy(f: OutputFile): string {
  const kinds = f.writtenBy.map((k) => (k === 'replicates' && SHARD_FILES.includes(f.name) ? `${KIND[k]} (also \`--shard\`)` : KIND[k]));
  if (f.patientFile) kinds.push(`${KIND.replicates} (in \`patients/\`)`);
  return kinds.join(', ');
}

/** The table as the README holds it. */
function outputFilesTable(): string {
  const rows = OUTPUT_FILES.map((f) => `| ${code(f.name)} | ${writtenBy(f)} | ${f.description} | ${f.columns ? f.columns.map(column).join(', ') : 'JSON'} |`);
  for (const folder of [PATIENTS_FOLDER, POINTS_FOLDER]) rows.push(`| ${code(folder.path)} | ${folder.writtenBy.map((k) => KIND[k]).join(', ')} | ${folder.description} | |`);
  return ['| file | written by | what it holds | columns |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The first table after the heading. */
function readmeTable(readme: string): string | null {
  const lines = readme.split('\n');
  const at = lines.indexOf(HEADING);
  if (at < 0) return null;
  const start = lines.findIndex((l, i) => i > at && l.startsWith('|'));
  if (start < 0) return null;
  let end = start;
  while (end < lines.length && lines[end]!.startsWith('|')) end++;
  return lines.slice(start, end).join('\n');
}

describe("README's Output files table", () => {
  it('is the registry (src/io/output-files.ts), row by row', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const expected = outputFilesTable();
    expect(expected.split('\n')).toHaveLength(2 + OUTPUT_FILES.length + 2);
    expect(readmeTable(readme), `README.md's table under "${HEADING}" differs from the registry; paste this table there:\n\n${expected}\n`).toBe(expected);
  });
});
