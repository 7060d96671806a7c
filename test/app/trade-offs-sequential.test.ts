/**
 * `screen --trade-offs --replicates` of a protocol with interim looks: each row also gives the
 * group-sequential design's power (rejection at any look, sequential-characteristics.csv's
 * overall_reject of the variant's point) and its paired difference from the protocol as written,
 * beside the study end's analysis (`power`, as if there were no looks); the terminal shows the
 * design's power and labels the study end's.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { screenTradeOffsReplicates } from '../../src/app/screen-command.js';
import { tradeOffsReplicatesText } from '../../src/cli/reporters/trade-offs-report.js';
import { meansProtocol } from '../replicates/interim-helpers.js';
import { tempDir } from '../helpers.js';

const R = 16;
const csv = (f: string) => parse(readFileSync(f), { columns: true }) as Record<string, string>[];

describe('screen --trade-offs --replicates with interim looks', () => {
  it("reports the design's power (rejection at any look) and its paired difference, beside the study end's", async () => {
    // The means design (3 looks, non-binding futility) with an inclusion criterion that excludes twins, at a size where power is not 1.
    const base = meansProtocol({ target: 60, extra: 'scenarios: [ { name: "null", no_effect: true } ]' });
    const file = base.replace(/\.yaml$/, '-criteria.yaml');
    writeFileSync(file, readFileSync(base, 'utf8').replace('enrolment: { target: 60 }', 'enrolment: { target: 60, inclusion: [ { id: older, expr: age >= 45 } ] }'));
    const out = join(tempDir(), 'trade-offs');
    const r = await screenTradeOffsReplicates({ protocolFile: file, seed: 3, replicates: R, workers: 1, out, force: false });
    const rows = csv(join(out, 'trade-offs.csv'));
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['power', 'seq_power', 'seq_power_mcse', 'seq_power_difference', 'seq_difference_mcse', 'seq_independent_mcse']));
    const cols = Object.keys(rows[0]!);
    expect(cols.indexOf('seq_power')).toBe(cols.indexOf('independent_mcse') + 1);
    // Each row's seq_power is its point's overall rejection; the as-written row's difference is NA.
    const points = readdirSync(join(out, 'points'));
    let differed = false;
    for (const id of points) {
      const point = JSON.parse(readFileSync(join(out, 'points', id, 'run.json'), 'utf8')).point.point as number;
      const seqc = csv(join(out, 'points', id, 'sequential-characteristics.csv'));
      const trials = csv(join(out, 'points', id, 'replicate-trials.csv'));
      for (const s of seqc) {
        const row = rows.find((x) => Number(x.variant) === point && x.scenario === s.scenario)!;
        expect(row.seq_power, `point ${point} ${s.scenario}`).toBe(s.overall_reject);
        expect(Number(row.seq_power)).toBe(trials.filter((t) => t.scenario === s.scenario && t.seq_reject === 'Y').length / R);
        if (point === 1) expect(row.seq_power_difference).toBe('NA');
        else {
          const asWritten = rows.find((x) => x.variant === '1' && x.scenario === s.scenario)!;
          expect(Number(row.seq_power_difference)).toBeCloseTo(Number(row.seq_power) - Number(asWritten.seq_power), 12);
        }
        if (row.seq_power !== row.power) differed = true;
      }
    }
    // The design's power is not the study end's (the looks stop trials, futility among them).
    expect(differed).toBe(true);
    const text = tradeOffsReplicatesText(r);
    expect(text).toMatch(/design power \(MC SE\)/);
    expect(text).toMatch(/study-end power \(MC SE\)/);
    expect(text).toMatch(/power and type I error are the group-sequential design's/);
  }, 120_000);
});
