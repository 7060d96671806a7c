/**
 * An events target the trial does not reach (38 deaths among 40 patients followed a year each, median
 * 300 days: about 23 expected): the data are cut at the last patient's last visit,
 * and the CLI says so on stderr (text and JSON alike) for single runs, replicate runs and merges.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVtrial } from '../cli-helper.js';
import { tempDir } from '../helpers.js';
import { calendarProtocol } from './accrual-helpers.js';

const unreachable = calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ events: 38, endpoint: OS }' });
const reachable = calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ events: 5, endpoint: OS }' });

describe('an events target that is not reached', () => {
  const dir = tempDir('vtrial-study-end-');
  it('a single run warns with the events counted and the day of the cut', async () => {
    const r = await runVtrial('run', unreachable, '--out', join(dir, 'single'), '--seed', '2');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the study end's events target was not reached \(\d+ OS events by the last patient's last visit, day \d+\.\d\): the data were cut and analysed there/);
    const ok = await runVtrial('run', reachable, '--out', join(dir, 'single-ok'), '--seed', '2');
    expect(ok.stderr).not.toMatch(/warning/);
  }, 60_000);
  it('a replicate run and a merge count the replicates per scenario, also with --format json', async () => {
    const r = await runVtrial('run', unreachable, '-r', '4', '--out', join(dir, 'reps'), '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).scenarios[0].trial.studyEndNotReached).toBe(4);
    expect(r.stderr).toMatch(/warning: scenario base: the study end's events target was not reached in 4 of 4 replicates \(mean \d+\.\d events at the cut-off\)/);
    const text = await runVtrial('run', unreachable, '-r', '4', '--out', join(dir, 'reps-text'));
    expect(text.stdout).toMatch(/calendar: mean data cut-off day \d+\.\d, mean events at it \d+\.\d; the study end's events target was not reached in 4 replicates/);
    await runVtrial('run', unreachable, '-r', '4', '--shard', '1/2', '--out', join(dir, 's1'));
    await runVtrial('run', unreachable, '-r', '4', '--shard', '2/2', '--out', join(dir, 's2'));
    const m = await runVtrial('merge', join(dir, 's1'), join(dir, 's2'), '--out', join(dir, 'merged'));
    expect(m.code).toBe(0);
    expect(m.stderr).toMatch(/not reached in 4 of 4 replicates/);
    const ok = await runVtrial('run', reachable, '-r', '4', '--out', join(dir, 'reps-ok'));
    expect(ok.stderr).not.toMatch(/warning/);
  }, 120_000);
});
