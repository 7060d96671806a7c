/**
 * A single `vtrial run` of a group-sequential protocol (README "Interim analyses"): every look is
 * analysed on the data observed by its day (interim-looks.csv, summary.json's `sequential`), the
 * outputs are the trial cut at the stopping look (or at the planned end with --ignore-stopping),
 * and the looks' days, z, boundaries and decisions are the replicate engine's for the same seed
 * (whose looks run the log-rank test alone: the z agree digit for digit).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/run-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { tempDir } from '../helpers.js';
import { expectClean, REPO, vtrial } from '../adversarial/harness.js';

const dir = tempDir('vtrial-interim-run-');
const base = readFileSync(join(REPO, 'protocols/nsclc-sequential.yaml'), 'utf8').replace('cohort: ../cohorts/nsclc.yaml', `cohort: ${resolve(REPO, 'cohorts/nsclc.yaml')}`);

/** nsclc-sequential with a modest effect (so trials stop at different looks) and the given futility rule. */
function protocol(name: string, futility: string, hr = '0.78'): string {
  const file = join(dir, `${name}.yaml`);
  const text = base.replace('hazard_ratio: { pd1_chemo: 0.52 }', `hazard_ratio: { pd1_chemo: ${hr} }`).replace('futility: { bounds: [0, 0], binding: false }', `futility: ${futility}`);
  writeFileSync(file, text);
  return file;
}

const csv = (file: string): Record<string, string>[] => {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
};

describe('a single run with interim looks', () => {
  it('the single run and the replicate engine agree look by look (days, fractions, z, boundaries, the stop and its decision) for the same seed; CP futility reported', async () => {
    const file = protocol('cp', '{ conditional_power: 0.2, under: trend, binding: false }');
    const seen = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const single = join(dir, `single-${seed}`);
      const reps = join(dir, `reps-${seed}`);
      const r = await runCommand({ protocolFile: file, seed, out: single, force: true });
      await replicatesCommand({ protocolFile: file, seed, replicates: 1, workers: 1, scenario: 'base', keepPatients: 0, out: reps, force: true });
      const looks = csv(join(single, 'interim-looks.csv'));
      const rec = csv(join(reps, 'replicate-trials.csv'))[0]!;
      expect(looks.map((l) => l.look)).toEqual(['1', '2', '3']);
      const s = r.sequential!;
      expect(String(s.stopLook)).toBe(rec.seq_stop_look);
      expect(s.decision).toBe(rec.seq_decision);
      expect(looks.filter((l) => l.stopped === 'Y').map((l) => l.look)).toEqual([rec.seq_stop_look]);
      for (const [k, l] of looks.entries()) {
        const ran = l.decision !== 'not run';
        expect(l.day, `seed ${seed} look ${k + 1} day`).toBe(ran ? rec[`look${k + 1}_day`] : 'NA');
        if (!ran) continue;
        expect(l.fraction).toBe(rec[`look${k + 1}_fraction`]);
        expect(l.z, `seed ${seed} look ${k + 1} z`).toBe(rec[`look${k + 1}_z`]);
        expect(l.efficacy_bound).toBe(rec[`look${k + 1}_critical`]);
        if (k < 2) {
          expect(l.futility_conditional_power).toBe('0.2');
          // The z bound is where the conditional power under the trend is the threshold: below it, CP < 0.2.
          expect(Number(l.conditional_power) < 0.2).toBe(Number(l.z) <= Number(l.futility_bound));
        }
      }
      if (seed === 1) {
        // The replicate run's design table: the threshold beside the z bound it implies at the planned rates.
        const planned = csv(join(reps, 'sequential-looks.csv'));
        expect(planned.map((l) => l.futility_conditional_power)).toEqual(['0.2', '0.2', 'NA']);
        expect(Number(planned[0]!.futility_bound)).toBeCloseTo(Math.sqrt(0.5) * (Number(planned[2]!.critical_value) - 0.8416212335729143 * Math.sqrt(0.5)), 12);
      }
      seen.add(`${s.stopLook}:${s.decision}`);
      // The outputs are the trial at the stop: its cut-off day, and no patient entered after it.
      expect(r.cutoff!.day).toBe(s.day);
      expect(s.analysedDay).toBe(s.day);
      const adsl = csv(join(single, 'adsl.csv')).filter((x) => x.RANDDY !== 'NA' && x.RANDDY !== '');
      expect(Math.max(...adsl.map((x) => Number(x.RANDDY)))).toBeLessThanOrEqual(s.day);
      const events = csv(join(single, 'adtte.csv')).filter((x) => x.PARAMCD === 'PFS' && x.CNSR === '0').length;
      expect(events).toBe(s.information);
    }
    // The seeds reach more than one kind of stop.
    expect(seen.size).toBeGreaterThan(1);
  }, 240_000);

  it('--ignore-stopping: the outputs are the trial at its planned end, as the same protocol without interim looks', async () => {
    const file = protocol('end', '{ bounds: [0, 0], binding: false }', '0.52');
    const plain = join(dir, 'plain.yaml');
    writeFileSync(plain, readFileSync(file, 'utf8').replace(/\n  interim:\n(    .*\n)+/, '\n'));
    const a = await runCommand({ protocolFile: file, seed: 42, out: join(dir, 'ignore'), force: true, ignoreStopping: true });
    const b = await runCommand({ protocolFile: plain, seed: 42, out: join(dir, 'plain'), force: true });
    expect(a.sequential!.stopLook).toBe(1);
    expect(a.sequential!.ignoringStopping).toBe(true);
    expect(a.cutoff).toEqual(b.cutoff);
    for (const f of ['adsl.csv', 'adtte.csv', 'adeff.csv', 'efficacy.csv', 'safety.csv', 'counterfactual.csv']) expect(readFileSync(join(dir, 'ignore', f), 'utf8'), f).toBe(readFileSync(join(dir, 'plain', f), 'utf8'));
    // Without the flag the same seed stops at look 1: the trial at 205 PFS events.
    const stop = await runCommand({ protocolFile: file, seed: 42, out: join(dir, 'stop'), force: true });
    expect(stop.sequential!).toMatchObject({ stopLook: 1, decision: 'efficacy', information: 205, ignoringStopping: false });
    expect(stop.efficacy.find((e) => e.endpoint === 'PFS')!.eventsArm! + stop.efficacy.find((e) => e.endpoint === 'PFS')!.eventsControl!).toBe(205);
  }, 120_000);

  it('vtrial run: the terminal says where the trial stopped; --ignore-stopping is refused with replicates and without interim looks', async () => {
    const out = join(dir, 'cli');
    const r = await vtrial(['run', 'protocols/nsclc-sequential.yaml', '--seed', '42', '--out', out]);
    expectClean(r, 0);
    expect(r.stdout).toMatch(/Interim analyses: stopped for efficacy at look 1 of 3 \(day 448\.3, information 205, 520 patients randomised\)\./);
    expect(r.stdout).toMatch(/interim-looks\.csv/);
    const reps = await vtrial(['run', 'protocols/nsclc-sequential.yaml', '--replicates', '2', '--ignore-stopping', '--out', join(dir, 'cli-reps')]);
    expectClean(reps, 2);
    expect(reps.stderr).toMatch(/--ignore-stopping applies to a single run/);
    const none = await vtrial(['run', 'protocols/nsclc-accrual.yaml', '--ignore-stopping', '--out', join(dir, 'cli-none')]);
    expectClean(none, 2);
    expect(none.stderr).toMatch(/--ignore-stopping applies to protocols with interim looks/);
  }, 120_000);
});
