import { describe, expect, it } from 'vitest';
import { runVtrial } from '../cli-helper.js';

describe('sample-size analytic modes and the simulation\u2019s options', () => {
  it('refuses options only the simulation reads (exit 2, naming them) instead of ignoring them', async () => {
    const r = await runVtrial('sample-size', '--delta', '0.5', '--sd', '1', '--max', '300', '-r', '100', '--direction', 'decrease');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sample-size: --direction, --max, --replicates belong to the simulation');
    expect(r.stdout).toBe('');
  });

  it('still answers when only analytic options are given (64 per arm for a 0.5 SD difference)', async () => {
    const r = await runVtrial('sample-size', '--delta', '0.5', '--sd', '1', '--format', 'json');
    expect(r.code).toBe(0);
    // power.t.test(delta = 0.5, sd = 1, power = 0.8)$n = 63.76576 per arm.
    expect(JSON.parse(r.stdout).rows[0].nActive).toBeCloseTo(63.76576, 5);
  });
});
