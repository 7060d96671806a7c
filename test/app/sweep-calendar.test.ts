/**
 * Sweeps of protocols with accrual (calendar time) and with interim looks: each point's folder is
 * the replicate run of the protocol with that value, byte for byte (the cut-off and sequential
 * record columns, sequential-characteristics.csv and sequential-looks.csv included), and sweep.csv
 * and sweep-differences.csv carry the calendar and group-sequential characteristics.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parse as parseYaml, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sweepCommand } from '../../src/app/sweep-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { mergeCommand } from '../../src/app/merge-command.js';
import type { ReplicatesSummary } from '../../src/replicates/summary.js';
import { sweepSummaryText } from '../../src/cli/sweep-report.js';
import { tempDir } from '../helpers.js';

const R = 8;
const csv = (f: string) => parse(readFileSync(f), { columns: true }) as Record<string, string>[];
const json = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as ReplicatesSummary;
/** The protocol with one value changed, written to dir (its cohort by absolute path). */
function protocolWith(dir: string, file: string, change: (p: Record<string, any>) => void): string {
  const p = parseYaml(readFileSync(file, 'utf8')) as Record<string, any>;
  p.cohort = resolve('protocols', p.cohort as string);
  change(p);
  const f = join(dir, `changed-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(f, stringify(p));
  return f;
}
const RECORDS = ['replicates.csv', 'replicate-trials.csv', 'replicate-safety.csv', 'operating-characteristics.csv', 'safety-characteristics.csv'];
/** summary.json without the protocol file's name and hash (a changed protocol is another file). */
const results = (f: string) => JSON.stringify({ ...json(f), protocol: null });

describe('vtrial sweep of a protocol with accrual (protocols/nsclc-accrual.yaml)', async () => {
  const root = tempDir();
  const P = 'protocols/nsclc-accrual.yaml';
  const out = join(root, 'sweep');
  const result = await sweepCommand({ protocolFile: P, vary: ['enrolment.target=400,616'], replicates: R, seed: 3, workers: 1, out, force: false });
  const ids = result.summary!.points.map((p) => p.id);
  const plain = [join(root, 'plain-400'), join(root, 'plain-616')];
  await replicatesCommand({ protocolFile: protocolWith(root, P, (p) => ((p.enrolment.target = 400), (p.enrolment.max_screened = Math.ceil((p.enrolment.max_screened * 400) / 616)))), seed: 3, replicates: R, workers: 1, keepPatients: 0, out: plain[0]!, force: false });
  await replicatesCommand({ protocolFile: P, seed: 3, replicates: R, workers: 1, keepPatients: 0, out: plain[1]!, force: false });

  it("each point's folder is the replicate run of its protocol, byte for byte (replicate-trials.csv with the cut-off columns)", () => {
    for (const [i, dir] of plain.entries()) {
      for (const f of RECORDS) expect(readFileSync(join(out, 'points', ids[i]!, f)).equals(readFileSync(join(dir, f))), `${ids[i]}/${f}`).toBe(true);
      expect(results(join(out, 'points', ids[i]!, 'summary.json'))).toBe(results(join(dir, 'summary.json')));
    }
    expect(Object.keys(csv(join(out, 'points', ids[0]!, 'replicate-trials.csv'))[0]!)).toEqual(expect.arrayContaining(['study_end_day', 'events_at_cutoff', 'study_end_reached']));
  });

  it('sweep.csv adds the mean study duration, events at the cut-off and the replicates not reaching the study end, equal to each run', () => {
    const rows = csv(join(out, 'sweep.csv'));
    const cols = Object.keys(rows[0]!);
    expect(cols.slice(-3)).toEqual(['mean_study_duration_days', 'mean_events_at_cutoff', 'study_end_not_reached']);
    expect(cols.some((c) => c.startsWith('seq_'))).toBe(false);
    plain.forEach((dir, i) => {
      for (const sc of json(join(dir, 'summary.json')).scenarios) {
        const mine = rows.filter((r) => r.point === String(i + 1) && r.scenario === sc.name);
        expect(mine).toHaveLength(sc.operatingCharacteristics.length);
        for (const r of mine) {
          expect(Number(r.mean_study_duration_days)).toBe(sc.trial.meanStudyDurationDays);
          expect(Number(r.mean_events_at_cutoff)).toBe(sc.trial.meanEventsAtCutoff);
          expect(Number(r.study_end_not_reached)).toBe(sc.trial.studyEndNotReached);
        }
      }
    });
    // OS's 250th death: fewer patients, a later cut-off.
    const base = (p: string) => Number(rows.find((r) => r.point === p && r.scenario === 'base')!.mean_study_duration_days);
    expect(base('1')).toBeGreaterThan(base('2'));
    expect(Object.keys(csv(join(out, 'sweep-differences.csv'))[0]!).some((c) => c.startsWith('seq_'))).toBe(false);
    expect(sweepSummaryText(result.summary!)).toMatch(/duration \(days\)/);
  });
});

describe('vtrial sweep of a group-sequential protocol (protocols/nsclc-sequential.yaml)', async () => {
  const root = tempDir();
  const P = 'protocols/nsclc-sequential.yaml';
  const out = join(root, 'sweep');
  const sweep = (dir: string, shard?: { k: number; n: number }) => sweepCommand({ protocolFile: P, vary: ['endpoints.0.hazard_ratio.pd1_chemo=0.52,0.8'], replicates: R, seed: 3, workers: 1, scenario: 'base', out: dir, force: false, shard });
  const result = await sweep(out);
  const ids = result.summary!.points.map((p) => p.id);
  const plain = [join(root, 'plain-052'), join(root, 'plain-08')];
  await replicatesCommand({ protocolFile: P, seed: 3, replicates: R, workers: 1, scenario: 'base', keepPatients: 0, out: plain[0]!, force: false });
  await replicatesCommand({ protocolFile: protocolWith(root, P, (p) => (p.endpoints[0].hazard_ratio.pd1_chemo = 0.8)), seed: 3, replicates: R, workers: 1, scenario: 'base', keepPatients: 0, out: plain[1]!, force: false });

  it("each point's folder is the replicate run of its protocol, byte for byte, with sequential-characteristics.csv and sequential-looks.csv (the analytic design included)", () => {
    for (const [i, dir] of plain.entries()) {
      for (const f of [...RECORDS, 'sequential-characteristics.csv', 'sequential-looks.csv']) expect(readFileSync(join(out, 'points', ids[i]!, f)).equals(readFileSync(join(dir, f))), `${ids[i]}/${f}`).toBe(true);
      expect(results(join(out, 'points', ids[i]!, 'summary.json'))).toBe(results(join(dir, 'summary.json')));
    }
    expect(json(join(out, 'points', ids[0]!, 'summary.json')).scenarios[0]!.sequential!.perLook[0]!.criticalValue).toBeGreaterThan(2.5);
  });

  it("sweep.csv carries the group-sequential design's characteristics on the primary analysis' row, equal to each run's", () => {
    const rows = csv(join(out, 'sweep.csv'));
    const cols = Object.keys(rows[0]!);
    expect(cols.slice(-19)).toEqual([
      'mean_study_duration_days', 'mean_events_at_cutoff', 'study_end_not_reached',
      'seq_overall_reject', 'seq_overall_reject_mcse', 'seq_reject_ignoring_futility', 'seq_reject_ignoring_futility_mcse', 'seq_expected_patients', 'seq_expected_patients_mcse',
      'seq_expected_information', 'seq_expected_information_mcse', 'seq_expected_duration_days', 'seq_expected_duration_days_mcse',
      'seq_look1_p_efficacy', 'seq_look1_p_futility', 'seq_look2_p_efficacy', 'seq_look2_p_futility', 'seq_look3_p_efficacy', 'seq_look3_p_futility',
    ]);
    plain.forEach((dir, i) => {
      const s = json(join(dir, 'summary.json')).scenarios[0]!;
      const seq = s.sequential!;
      const mine = rows.filter((r) => r.point === String(i + 1));
      expect(mine[0]!.role).toBe('primary');
      expect(Number(mine[0]!.seq_overall_reject)).toBe(seq.overallReject);
      expect(Number(mine[0]!.seq_expected_patients)).toBe(seq.expectedPatients);
      expect(Number(mine[0]!.seq_expected_information)).toBe(seq.expectedInformation);
      expect(Number(mine[0]!.seq_expected_duration_days)).toBe(seq.expectedDurationDays);
      seq.perLook.forEach((l, k) => {
        expect(Number(mine[0]![`seq_look${k + 1}_p_efficacy`])).toBe(l.pEfficacy);
        expect(Number(mine[0]![`seq_look${k + 1}_p_futility`])).toBe(l.pFutility);
      });
      // Other analyses (OS) have no sequential figures.
      for (const r of mine.slice(1)) expect(r.seq_overall_reject).toBe('NA');
    });
  });

  it("sweep-differences.csv adds the paired difference of the group-sequential rejections; a merge of shards gives the same files", async () => {
    const d = csv(join(out, 'sweep-differences.csv'));
    const seqPower = (dir: string) => json(join(dir, 'summary.json')).scenarios[0]!.sequential!.overallReject;
    expect(Number(d[0]!.seq_power_from)).toBe(seqPower(plain[0]!));
    expect(Number(d[0]!.seq_power_to)).toBe(seqPower(plain[1]!));
    expect(Number(d[0]!.seq_power_difference)).toBeCloseTo(seqPower(plain[1]!) - seqPower(plain[0]!), 12);
    expect(d[1]!.seq_power_from).toBe('NA');
    expect(sweepSummaryText(result.summary!)).toMatch(/group-sequential/);
    const shards = [1, 2].map((k) => join(root, `shard${k}`));
    await sweep(shards[0]!, { k: 1, n: 2 });
    await sweep(shards[1]!, { k: 2, n: 2 });
    await mergeCommand(shards, join(root, 'merged'), false);
    for (const f of ['sweep.csv', 'sweep-differences.csv', 'summary.json']) expect(readFileSync(join(root, 'merged', f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
  });
});
