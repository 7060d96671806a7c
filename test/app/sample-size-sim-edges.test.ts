import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { powerTTest } from '../../src/stats/power.js';
import { runVtrial } from '../cli-helper.js';
import { tempDir } from '../helpers.js';

/** Y ~ N(emax, sd^2) against N(0, sd^2), pooled t test, 100 per arm (enrolment.target 200), two-sided 0.05: README "Sample size by simulation". */
const P = 'test/fixtures/protocols/sample-size-normal.yaml';

/** The standardised difference with power 0.9 at 100 per arm (power.t.test(n = 100, power = 0.9)$delta = 0.46066), by bisection. */
function delta90(): number {
  let lo = 0.1;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (powerTTest({ n: 100, delta: mid, sd: 1 }) < 0.9) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const json = (out: string) => JSON.parse(readFileSync(join(out, 'sample-size.json'), 'utf8'));
/** Whether x is a multiple of step (as the clean decimals the search writes). */
const onStep = (x: number, step: number) => Math.abs(x / step - Math.round(x / step)) < 1e-9;

describe('sample-size PROTOCOL: real-valued paths, direction and searches without an answer', () => {
  it('a real-valued path (an Emax of 0.4) is searched on multiples of its step, not rounded to whole numbers', async () => {
    const d = delta90();
    expect(d).toBeCloseTo(0.46066, 4);
    const emax = 1.1 * d; // 0.5067: the SD is 1.1
    const out = tempDir();
    const r = await runVtrial('sample-size', P, '--vary', 'biomarkers.y.drug_effect.emax', '--power', '0.9', '-r', '200', '-w', '1', '-q', '--out', out, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // The default step: 1% of 0.4 is 0.004, and the largest 1, 2 or 5 x 10^k at or below it is 0.002.
    expect([j.integer, j.block, j.direction, j.range, j.converged, j.reason]).toEqual([false, 0.002, 'increase', { min: 0.002, max: null }, true, null]);
    // No analytic formula for this path: the first round is half, once and twice the protocol's 0.4 (it used to be 1, 1, 1: a crash).
    expect(j.search.filter((s: { round: number }) => s.round === 1).map((s: { n: number }) => s.n)).toEqual([0.2, 0.4, 0.8]);
    for (const s of j.search) expect(onStep(s.n, 0.002), String(s.n)).toBe(true);
    expect(Number.isInteger(j.n)).toBe(false);
    expect(onStep(j.n, 0.002)).toBe(true);
    expect(j.n).toBeGreaterThanOrEqual(j.nFitted);
    expect(j.n - j.nFitted).toBeLessThan(0.002);
    // The 95% MC interval (about +-11% with 200 replicates) holds power.t.test's answer; at this seed the root is within 3%.
    expect(j.nInterval[0]).toBeLessThan(emax);
    expect(j.nInterval[1]).toBeGreaterThan(emax);
    expect(Math.abs(j.nFitted / emax - 1)).toBeLessThan(0.03);
    expect(j.typeIError.n).toBe(j.n);
    expect(json(out)).toMatchObject({ n: j.n, converged: true, integer: false, block: 0.002 });
    // --step sets the resolution.
    const s = await runVtrial('sample-size', P, '--vary', 'biomarkers.y.drug_effect.emax', '--power', '0.9', '--step', '0.05', '-r', '200', '-w', '1', '-q', '--out', tempDir(), '--format', 'json');
    expect(s.code, s.stderr).toBe(0);
    const k = JSON.parse(s.stdout);
    expect(k.block).toBe(0.05);
    for (const p of k.search) expect(onStep(p.n, 0.05), String(p.n)).toBe(true);
    expect(k.n).toBe(0.55);
  }, 180_000);

  it('power falling as the value grows (residual SD): exit 3 naming --direction decrease; with it, the largest SD reaching the power', async () => {
    const sd = 0.4 / delta90(); // 0.8684
    const out = tempDir();
    const a = await runVtrial('sample-size', P, '--vary', 'biomarkers.y.residual_sd', '--power', '0.9', '-r', '200', '-w', '1', '-q', '--out', out);
    expect(a.code).toBe(3);
    expect(a.stderr).toMatch(/no answer: power falls as the value grows .*; if smaller values give more power, give --direction decrease/);
    expect(json(out)).toMatchObject({ converged: false, n: null, direction: 'increase' });
    expect(json(out).reason).toContain('give --direction decrease');
    const b = await runVtrial('sample-size', P, '--vary', 'biomarkers.y.residual_sd', '--direction', 'decrease', '--power', '0.9', '-r', '200', '-w', '1', '-q', '--out', tempDir(), '--format', 'json');
    expect(b.code, b.stderr).toBe(0);
    const j = JSON.parse(b.stdout);
    expect([j.direction, j.block, j.converged]).toEqual(['decrease', 0.01, true]);
    // Rounded down (a smaller SD has more power), within the MC interval of the analytic 0.868.
    expect(j.n).toBeLessThanOrEqual(j.nFitted);
    expect(j.nFitted - j.n).toBeLessThan(0.01);
    expect(j.nInterval[0]).toBeLessThan(sd);
    expect(j.nInterval[1]).toBeGreaterThan(sd);
    expect(j.power.value).toBeGreaterThan(0.85);
  }, 180_000);

  it('no answer within --max or --rounds: exit 3, the reason on stderr and in sample-size.json (converged false)', async () => {
    const out = tempDir();
    const a = await runVtrial('sample-size', P, '--power', '0.8', '--start', 'protocol', '--max', '120', '-r', '40', '-w', '1', '-q', '--out', out);
    expect(a.code).toBe(3);
    expect(a.stderr).toContain('vtrial: sample-size: no answer: power 0.575 at 120, the largest value allowed (--max 120), is below the target 0.8; raise --max');
    expect(a.stdout).toContain('not converged: power 0.575 at 120');
    const j = json(out);
    expect(j).toMatchObject({ converged: false, n: null, range: { min: 4, max: 120 }, reason: 'power 0.575 at 120, the largest value allowed (--max 120), is below the target 0.8; raise --max' });
    expect(j.search.map((s: { n: number }) => s.n)).toEqual([100, 120]);
    const b = await runVtrial('sample-size', P, '--power', '0.8', '--start', 'protocol', '--rounds', '1', '-r', '40', '-w', '1', '-q', '--out', tempDir(), '--format', 'json');
    expect(b.code).toBe(3);
    expect(JSON.parse(b.stdout)).toMatchObject({ converged: false });
    expect(JSON.parse(b.stdout).reason).toMatch(/^the search did not settle within 1 rounds/);
    // A fixed grid clipped to --max: the root lies outside it.
    const g = tempDir();
    const c = await runVtrial('sample-size', P, '--power', '0.8', '--start', 'protocol', '--grid', '--max', '140', '-r', '40', '-w', '1', '-q', '--out', g);
    expect(c.code).toBe(3);
    expect(json(g)).toMatchObject({ mode: 'grid', converged: false, n: null, grid: [100, 140] });
    expect(json(g).reason).toMatch(/^the fitted root \d+(\.\d+)? lies outside the grid \(100 to 140\)/);
  }, 180_000);

  it('refuses a fractional --step on a whole-number path and an empty range (exit 2)', async () => {
    const a = await runVtrial('sample-size', P, '--step', '2.5', '-r', '40', '-q', '--out', tempDir());
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--step: enrolment.target takes whole numbers, so the step must be one; found 2.5');
    const b = await runVtrial('sample-size', P, '--min', '300', '--max', '200', '-r', '40', '-q', '--out', tempDir());
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('the range searched is empty: --min 300 is above --max 200');
  });
});
