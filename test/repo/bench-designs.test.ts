/**
 * The benchmark's designs (bench/designs, run by `npm run bench`) are specs like any other: every
 * file validates, and design A is the design the R peers (../shared/peers) simulate, so the bench's
 * ratios compare like with like. Not a timed test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { validateCommand } from '../../src/app/validate-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { REPO } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

const DESIGNS = join(REPO, 'bench', 'designs');
const DESIGN_A = join(DESIGNS, 'survival-2arm.yaml');

describe('bench designs', () => {
  it('validate accepts every file under bench/designs', () => {
    const files = readdirSync(DESIGNS).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => join(DESIGNS, f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const entries = validateCommand(files);
    for (const e of entries) expect(e.problems, e.file).toEqual([]);
    expect([...new Set(entries.map((e) => e.kind))].sort()).toEqual(['cohort', 'protocol']);
  });

  it('design A is the peers\' design: 600 patients 1:1 in blocks of 2, exponential median 365, HR 0.75, 730 days, no dropout or AEs, log-rank', () => {
    const p = loadProtocol(DESIGN_A);
    const s = p.spec;
    expect(s.enrolment.target).toBe(600);
    expect(s.enrolment.inclusion ?? []).toEqual([]);
    expect(s.enrolment.exclusion ?? []).toEqual([]);
    expect(s.arms?.map((a) => [a.role, a.allocation ?? 1])).toEqual([['control', 1], ['active', 1]]);
    expect(s.randomisation?.block_size).toBe(2);
    expect(s.study?.duration_days).toBe(730);
    expect(s.endpoints).toHaveLength(1);
    const e = s.endpoints[0]!;
    expect(e.type).toBe('time_to_event');
    if (e.type !== 'time_to_event') return;
    expect(e.baseline_hazard).toEqual({ distribution: 'exponential', median_days: 365 });
    expect(e.hazard_ratio).toEqual({ active: 0.75 });
    expect(e.covariates).toBeUndefined();
    expect(e.exposure).toBeUndefined();
    expect(s.dropout).toBeUndefined();
    expect(s.adverse_events).toEqual([]);
    expect(s.analysis?.primary.map((a) => [a.endpoint, a.method])).toEqual([['TTE', 'logrank']]);
    expect(s.analysis?.secondary ?? []).toEqual([]);
  });

  it('design A runs as replicates (3 replicates, in process): a log-rank row per replicate, truth near HR 0.75', async () => {
    const out = join(tempDir(), 'a');
    const r = await replicatesCommand({ protocolFile: DESIGN_A, seed: 1, replicates: 3, workers: 1, keepPatients: 0, out, force: false });
    expect(r.replicatesRun).toBe(3);
    const [header, ...lines] = readFileSync(join(out, 'replicates.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const rows = lines.map((l) => Object.fromEntries(header!.map((h, i) => [h, l[i]!])));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect([row.scenario, row.endpoint, row.role, row.method, row.covariates, row.measure, row.arm, row.control]).toEqual(['base', 'TTE', 'primary', 'logrank', '', 'hazard ratio', 'active', 'control']);
      expect(Math.abs(Number(row.true_effect) - 0.75)).toBeLessThan(0.03);
      expect(Number(row.estimate)).toBeGreaterThan(0.5);
      expect(Number(row.estimate)).toBeLessThan(1.1);
      // 600 patients followed 730 days, control median 365: most have an event.
      expect(Number(row.events_arm) + Number(row.events_control)).toBeGreaterThan(300);
    }
  });
});
