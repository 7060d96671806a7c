/**
 * R's reference results (test/fixtures/r-reference, a copy of ../shared/reference; see its README)
 * and the comparison rule:
 * 1e-6 relative, 1e-9 absolute near zero; "NA" where R reports a quantity as not estimable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';

// Resolved from this file, not the working directory, so the tests run from any folder of a fresh clone.
export const REFERENCE_DIR = fileURLToPath(new URL('../fixtures/r-reference/', import.meta.url));
if (!existsSync(join(REFERENCE_DIR, 'expected.json'))) {
  throw new Error(`R reference data not found at ${REFERENCE_DIR} (refresh it from ../shared/reference)`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const R: any = JSON.parse(readFileSync(join(REFERENCE_DIR, 'expected.json'), 'utf8'));

export function dataset(name: string): Record<string, string>[] {
  return parse(readFileSync(join(REFERENCE_DIR, `${name}.csv`)), { columns: true }) as Record<string, string>[];
}

/** Asserts that ours matches R's value to 1e-6 relative (1e-9 absolute near zero), or NA. */
export function expectR(ours: number | null | undefined, r: number | string, what = ''): void {
  if (r === 'NA') {
    expect(ours === null || ours === undefined || Number.isNaN(ours), `${what}: R reports NA, we have ${ours}`).toBe(true);
    return;
  }
  const expected = r as number;
  expect(typeof ours === 'number' && Number.isFinite(ours), `${what}: expected ${expected}, found ${ours}`).toBe(true);
  const err = Math.abs((ours as number) - expected);
  const ok = err <= 1e-9 || err <= 1e-6 * Math.abs(expected);
  expect(ok, `${what}: ours ${ours}, R ${expected}, relative error ${err / Math.abs(expected)}`).toBe(true);
}

export function expectAllR(ours: readonly (number | null)[], r: readonly (number | string)[], what = ''): void {
  expect(ours.length).toBe(r.length);
  r.forEach((v, i) => expectR(ours[i], v, `${what}[${i}]`));
}
