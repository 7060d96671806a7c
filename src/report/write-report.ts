/**
 * Writes a report: the chart specifications first (SPECDIR/NN-name.vl.json, SPECDIR being the
 * page's path without .html: DIR/report/ for DIR/report.html), the page last, each file
 * atomically (a hidden partial file renamed over the target when complete). Specs of an earlier
 * report that this one no longer draws are removed: only names of the NN-name.vl.json form, in
 * that folder; no other file is touched.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors/usage-error.js';
import { openAtomicFile, prepareOutputFile } from '../io/atomic-file.js';
import { buildReport, type Report } from './build-report.js';
import { openOutputDir } from './output-dir.js';

export const REPORT_FILE = 'report.html';

/** The names of the spec files a report writes. */
export const SPEC_FILE = /^\d{2,}-[A-Za-z0-9_-]+\.vl\.json$/;

export interface WrittenReport extends Report {
  readonly file: string;
  readonly specDir: string;
  readonly bytes: number;
}

async function writeAtomic(target: string, text: string): Promise<void> {
  const f = openAtomicFile(target);
  try {
    await f.write(text);
    await f.commit();
  } catch (err) {
    f.abort();
    throw err;
  }
}

/**
 * The report of output directory `dir` into `out` (default DIR/report.html, which is replaced
 * when it exists: it is the report's own file; another existing file needs `force`).
 */
export async function writeReport(dir: string, out: string | undefined, force: boolean): Promise<WrittenReport> {
  const od = openOutputDir(dir);
  const file = out ?? join(dir, REPORT_FILE);
  if (!/\.html?$/i.test(file)) throw new UsageError(`--out ${file}: give a file name ending in .html`);
  // The directory's files are the report's inputs (never its target), except an earlier page itself.
  const inputs = readdirSync(od.path).map((n) => join(od.path, n)).filter((p) => resolve(p) !== resolve(file));
  prepareOutputFile(file, out === undefined || force || resolve(file) === resolve(join(dir, REPORT_FILE)), inputs);
  const specDir = file.replace(/\.html?$/i, '');
  if (existsSync(specDir) && !statSync(specDir).isDirectory()) throw new UsageError(`${specDir} exists and is not a folder: the report writes its chart specifications there; move it or choose another --out`);
  const report = await buildReport(dir, basename(specDir));
  mkdirSync(specDir, { recursive: true });
  const names = new Set(report.specs.map((s) => s.name));
  for (const s of report.specs) await writeAtomic(join(specDir, s.name), `${JSON.stringify(s.spec, null, 2)}\n`);
  for (const name of readdirSync(specDir)) if (SPEC_FILE.test(name) && !names.has(name)) rmSync(join(specDir, name), { force: true });
  await writeAtomic(file, report.html);
  return { ...report, file, specDir: join(dirname(file), basename(specDir)), bytes: Buffer.byteLength(report.html) };
}
