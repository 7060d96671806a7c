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
    const b = await cli(args);
    expect(JSON.parse(b.out).n).toBe(r.n);
    expect(JSON.parse(b.out).search).toEqual(r.search);
  }, 120_000);
});
