/**
 * compare with interim looks: the designs as wholes (compare-designs.csv, summary.json
 * `designs`) — the group-sequential design's rejection at any look and its expected patients and
 * duration against the fixed design's — and --fail-if's power/type1 of the first primary analysis
 * taken from the group-sequential design.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { compareCommand } from '../../src/app/compare-command.js';
import { tempDir } from '../helpers.js';
import { meansProtocol } from '../replicates/interim-helpers.js';
import { runVtrial } from '../cli-helper.js';

const R = 60;
const nullScenario = 'scenarios: [ { name: "null", no_effect: true } ]';
const fixed = meansProtocol({ interim: '', extra: nullScenario });
const sequential = meansProtocol({ extra: nullScenario });

describe('compare: a fixed design against the same trial with interim looks', () => {
  const out = join(tempDir('vtrial-cmp-seq-'), 'cmp');
  it('compares the designs as wholes, with paired differences', async () => {
    const r = await compareCommand({ protocolFiles: [fixed, sequential], seed: 4, replicates: R, workers: 1, out, force: false });
    const d = r.summary.designs;
    expect(d.map((x) => [x.scenario, x.design])).toEqual([
      ['base', 'fixed'],
      ['base', 'group-sequential (3 looks)'],
      ['null', 'fixed'],
      ['null', 'group-sequential (3 looks)'],
    ]);
    const seqDir = join(out, r.summary.protocols[1]!.label);
    const trials = parse(readFileSync(join(seqDir, 'replicate-trials.csv')), { columns: true }) as Record<string, string>[];
    const base = trials.filter((t) => t.scenario === 'base');
    // The group-sequential row is the replicate run's own per-replicate stop.
    expect(d[1]!.reject).toBeCloseTo(base.filter((t) => t.seq_reject === 'Y').length / R, 12);
    expect(d[1]!.meanPatients).toBeCloseTo(base.reduce((a, t) => a + Number(t.seq_patients), 0) / R, 9);
    expect(d[1]!.meanDurationDays).toBeCloseTo(base.reduce((a, t) => a + Number(t.seq_stop_day), 0) / R, 9);
    // The fixed design: its primary analysis at the study end, all 200 patients, the study end's cut-off day.
    const fixedOc = r.summary.rows.find((x) => x.protocol === r.summary.protocols[0]!.label && x.scenario === 'base')!;
    expect(d[0]!.reject).toBe(fixedOc.oc.power);
    expect(d[0]!.meanPatients).toBe(200);
    expect(d[0]!.meanInformation).toBeNull();
    // Stopping early saves patients and time.
    expect(d[1]!.patientsDiff!.diff!).toBeLessThan(0);
    expect(d[1]!.durationDiff!.diff!).toBeLessThan(0);
    expect(d[1]!.patientsDiff!.diff).toBeCloseTo(d[1]!.meanPatients! - d[0]!.meanPatients!, 9);
    const csv = parse(readFileSync(join(out, 'compare-designs.csv')), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(4);
    expect(Number(csv[1]!.reject)).toBe(d[1]!.reject);
    expect(csv[3]!.null_scenario).toBe('Y');
  }, 120_000);

  it('--fail-if reads the group-sequential design for the first primary analysis', async () => {
    const dir = tempDir('vtrial-cmp-seq-fail-');
    const a = await runVtrial('compare', fixed, sequential, '-r', String(R), '--seed', '4', '--out', join(dir, 'c'), '--format', 'json', '--fail-if', 'power > 0 or type1 >= 0');
    const s = JSON.parse(a.stdout);
    expect(a.code).toBe(4);
    const seqDesign = s.designs.find((x: { design: string; scenario: string }) => x.design !== 'fixed' && x.scenario === 'base');
    const seqNull = s.designs.find((x: { design: string; scenario: string }) => x.design !== 'fixed' && x.scenario === 'null');
    const hit = s.failIf.hits.find((h: { protocol: string }) => h.protocol === s.protocols[1].label);
    expect(hit.values.power).toBe(seqDesign.reject);
    expect(hit.values.type1).toBe(seqNull.reject);
    const fixedHit = s.failIf.hits.find((h: { protocol: string }) => h.protocol === s.protocols[0].label);
    expect(fixedHit.values.power).toBe(s.designs[0].reject);
  }, 120_000);
});
