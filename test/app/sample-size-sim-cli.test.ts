import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { tempDir } from '../helpers.js';

const P = 'test/fixtures/protocols/sample-size-normal.yaml';
const cli = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'vtrial', 'sample-size', ...args], { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), interactive: false });
  return { code, out: out.join(''), err: err.join('') };
};

describe('vtrial sample-size PROTOCOL (command line)', () => {
  it('refuses the analytic effect flags and a missing --out (exit 2)', async () => {
    const a = await cli([P, '--delta', '0.5', '--out', tempDir()]);
    expect(a.code).toBe(2);
    expect(a.err).toContain('--delta belong to the analytic modes');
    const b = await cli([P]);
    expect(b.code).toBe(2);
    expect(b.err).toContain('give --out DIR');
  });

  it('refuses --criterion or --analysis on a group-sequential protocol, and both together (exit 2)', async () => {
    const a = await cli(['test/fixtures/protocols/sample-size-sequential.yaml', '--criterion', 'plan', '--out', tempDir(), '-q']);
    expect(a.code).toBe(2);
    expect(a.err).toContain("success is the group-sequential design's rejection; --criterion is for fixed designs");
    const b = await cli([P, '--criterion', 'plan', '--analysis', 'Y', '--out', tempDir(), '-q']);
    expect(b.code).toBe(2);
    expect(b.err).toContain('give --criterion or --analysis, not both');
    const c = await cli([P, '--criterion', 'any', '--out', tempDir(), '-q']);
    expect(c.code).toBe(2);
  });

  it('keeps the analytic mode without a protocol', async () => {
    const r = await cli(['--delta', '0.5', '--sd', '1', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).rows[0].nControl).toBeCloseTo(63.77, 2);
  });

  it('searches, reports as JSON and resumes from the kept points', async () => {
    const out = tempDir();
    const args = [P, '--power', '0.9', '-r', '40', '-w', '1', '--out', out, '--format', 'json', '-q'];
    const a = await cli(args);
    expect(a.code).toBe(0);
    const r = JSON.parse(a.out);
    expect(r.path).toBe('enrolment.target');
    expect(r.n % 4).toBe(0);
    expect(r.search.length).toBeGreaterThanOrEqual(3);
    // The pilot's analytic guess (power.t.test's 319.8 on the pilot's delta and SD) centres the first round: 0.87, 1 and 1.15 times it.
    expect(r.start.from).toBe('analytic');
    expect(r.search.filter((s: { round: number }) => s.round === 1).map((s: { n: number }) => s.n)).toEqual([0.87, 1, 1.15].map((f) => Math.ceil((r.start.value * f) / 4) * 4));
    const b = await cli(args);
    expect(JSON.parse(b.out).n).toBe(r.n);
    expect(JSON.parse(b.out).search).toEqual(r.search);
  }, 120_000);

  it('--start protocol: no pilot, the first round is half, once and twice the protocol\'s 200', async () => {
    const out = tempDir();
    const r = await cli([P, '--power', '0.9', '-r', '40', '-w', '1', '--start', 'protocol', '--out', out, '--format', 'json', '-q']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.start).toEqual({ from: 'protocol', value: 200, analytic: null, reason: 'not asked (--start protocol)' });
    expect(j.search.filter((s: { round: number }) => s.round === 1).map((s: { n: number }) => s.n)).toEqual([100, 200, 400]);
    expect(existsSync(join(out, 'pilot'))).toBe(false);
  }, 120_000);
});
