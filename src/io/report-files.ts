/**
 * The names `vtrial report` writes into an output directory (src/report/write-report.ts): the
 * page, and beside it the folder of chart specifications with the list of the specs it wrote
 * (name -> SHA-256). Here, below the report, so that a merge can tell a report of vtrial's from a
 * user's file.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPORT_FILE = 'report.html';

/** The folder of a report's chart specifications beside REPORT_FILE. */
export const REPORT_SPEC_DIR = 'report';

/** The names of the spec files a report writes. */
export const SPEC_FILE = /^\d{2,}-[A-Za-z0-9_-]+\.vl\.json$/;

/** The list of the specs a report wrote into its folder (name -> SHA-256 of the bytes written). */
export const SPEC_MANIFEST = '.vtrial-report.json';

/**
 * Whether DIR/NAME is what `vtrial report DIR` wrote: the page (a regular file), or the spec
 * folder holding nothing but its list and the specs it lists, each unchanged since.
 */
export function isOwnReport(dir: string, name: string): boolean {
  const st = lstatSync(join(dir, name));
  if (name === REPORT_FILE) return st.isFile();
  if (name !== REPORT_SPEC_DIR || !st.isDirectory()) return false;
  const specDir = join(dir, name);
  let specs: Record<string, unknown>;
  try {
    specs = (JSON.parse(readFileSync(join(specDir, SPEC_MANIFEST), 'utf8')) as { specs?: Record<string, unknown> }).specs ?? {};
  } catch {
    return false;
  }
  return readdirSync(specDir).every((f) => {
    if (f === SPEC_MANIFEST) return lstatSync(join(specDir, f)).isFile();
    const want = Object.hasOwn(specs, f) ? specs[f] : undefined;
    return SPEC_FILE.test(f) && typeof want === 'string' && lstatSync(join(specDir, f)).isFile() && createHash('sha256').update(readFileSync(join(specDir, f))).digest('hex') === want;
  });
}
