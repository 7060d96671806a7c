/**
 * Writes a report: the chart specifications first (SPECDIR/NN-name.vl.json, SPECDIR being the
 * page's path without .html: DIR/report/ for DIR/report.html), the page last, each file
 * atomically (a hidden partial file renamed over the target when complete). SPECDIR/.vtrial-report.json
 * lists the specs a report wrote there with their SHA-256: only those are ever replaced or removed
 * (an earlier report's spec this one no longer draws). A file there that vtrial did not write is
 * never touched (a name clash is an error), and a spec the user has edited since (its SHA-256
 * differs) is replaced only with --force.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors/usage-error.js';
import { openAtomicFile, prepareOutputFile } from '../io/atomic-file.js';
import { buildReport, type Report } from './build-report.js';
import { openOutputDir } from './output-dir.js';

export { REPORT_FILE, SPEC_FILE, SPEC_MANIFEST } from '../io/report-files.js';
import { REPORT_FILE, SPEC_FILE, SPEC_MANIFEST } from '../io/report-files.js';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The specs an earlier report wrote into `specDir` (none when it has no readable manifest). */
function writtenBefore(specDir: string): Map<string, string> {
  try {
    const m = JSON.parse(readFileSync(join(specDir, SPEC_MANIFEST), 'utf8')) as { specs?: Record<string, string> };
    return new Map(Object.entries(m.specs ?? {}).filter(([n, h]) => SPEC_FILE.test(n) && typeof h === 'string'));
  } catch {
    return new Map();
  }
}

/**
 * What this report may do in `specDir`: replace or remove only the specs an earlier report wrote
 * and nobody has edited since (edited ones with `force`); a same-named file vtrial did not write
 * stops it before anything is written.
 */
function checkSpecDir(specDir: string, names: ReadonlySet<string>, force: boolean): { stale: string[] } {
  const before = writtenBefore(specDir);
  const problems: string[] = [];
  const stale: string[] = [];
  const present = existsSync(specDir) ? new Set(readdirSync(specDir)) : new Set<string>();
  for (const name of present) {
    const ours = before.get(name);
    const replaced = names.has(name);
    if (ours === undefined) {
      if (replaced) problems.push(`${join(specDir, name)} was not written by vtrial report; move it away or choose another --out`);
      continue;
    }
    if (!replaced) stale.push(name);
    if (!force && sha256(readFileSync(join(specDir, name))) !== ours) problems.push(`${join(specDir, name)} was changed since vtrial report wrote it; keep your copy elsewhere, or add --force to replace it`);
  }
  if (problems.length) throw new UsageError(problems.join('\n'));
  return { stale };
}

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
  // The directory opened above: its files were checked against the manifest once.
  const report = await buildReport(od, basename(specDir));
  mkdirSync(specDir, { recursive: true });
  const names = new Set(report.specs.map((s) => s.name));
  const { stale } = checkSpecDir(specDir, names, force);
  const written: Record<string, string> = {};
  for (const s of report.specs) {
    const text = `${JSON.stringify(s.spec, null, 2)}\n`;
    await writeAtomic(join(specDir, s.name), text);
    written[s.name] = sha256(text);
  }
  for (const name of stale) rmSync(join(specDir, name), { force: true });
  await writeAtomic(join(specDir, SPEC_MANIFEST), `${JSON.stringify({ specs: written }, null, 2)}\n`);
  await writeAtomic(file, report.html);
  return { ...report, file, specDir: join(dirname(file), basename(specDir)), bytes: Buffer.byteLength(report.html) };
}
