import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/run-command.js';
import { benefits } from '../../src/twins/individual-effects.js';
import { tempDir } from '../helpers.js';

describe('individual treatment effects (ite.csv)', () => {
  it('benefit: strictly favourable at threshold 0, at least |threshold| otherwise', () => {
    expect([-0.1, 0, 0.1].map((v) => benefits(v, 'decrease', 0))).toEqual([true, false, false]);
    expect([-0.6, -0.5, -0.4].map((v) => benefits(v, 'decrease', 0.5))).toEqual([true, true, false]);
    expect([0.4, 0.5].map((v) => benefits(v, 'increase', -0.5))).toEqual([false, true]);
  });

  it('match a direct computation from counterfactual.csv, overall and by subgroup', async () => {
    const out = join(tempDir(), 't2d');
    const r = await runCommand({ protocolFile: 'protocols/t2d-weekly-injectable.yaml', seed: 4, out, force: false });
    const cf = parse(readFileSync(join(out, 'counterfactual.csv')), { columns: true, cast: true }) as Record<string, number>[];
    const adsl = new Map((parse(readFileSync(join(out, 'adsl.csv')), { columns: true }) as Record<string, string>[]).map((x) => [x.USUBJID, x]));
    const ite = parse(readFileSync(join(out, 'ite.csv')), { columns: true, cast: true }) as Record<string, string | number>[];
    const d = cf.map((x) => ({ sex: adsl.get(x.USUBJID as unknown as string)!.sex, v: x['HBA1C_CHG.glp1_1mg']! - x['HBA1C_CHG.placebo']! }));
    const all = ite.find((x) => x.endpoint === 'HBA1C_CHG' && x.arm === 'glp1_1mg' && x.subgroup === 'all')!;
    expect(all.n).toBe(388);
    expect(all.mean as number).toBeCloseTo(d.reduce((s, x) => s + x.v, 0) / d.length, 12);
    expect(all.direction).toBe('decrease');
    expect(all.share_benefit as number).toBeCloseTo(d.filter((x) => x.v < 0).length / d.length, 12);
    const efficacyTruth = r.efficacy.find((e) => e.endpoint === 'HBA1C_CHG' && e.arm === 'glp1_1mg')!.trueEffect!;
    expect(all.mean as number).toBeCloseTo(efficacyTruth, 12);
    for (const sex of ['female', 'male']) {
      const g = ite.find((x) => x.endpoint === 'HBA1C_CHG' && x.arm === 'glp1_1mg' && x.subgroup === 'sex' && x.level === sex)!;
      const sub = d.filter((x) => x.sex === sex);
      expect(g.n).toBe(sub.length);
      expect(g.mean as number).toBeCloseTo(sub.reduce((s, x) => s + x.v, 0) / sub.length, 12);
    }
    const q = [...d.map((x) => x.v)].sort((a, b) => a - b);
    expect(all.q05 as number).toBeLessThan(all.median as number);
    expect(all.median as number).toBeCloseTo(q[193]! / 2 + q[194]! / 2, 12);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.individualEffects.length).toBe(ite.length);
  });

  it('identical arms: every individual effect is zero and nobody benefits', async () => {
    const out = join(tempDir(), 'same');
    const r = await runCommand({ protocolFile: 'test/fixtures/protocols/identical-arms.yaml', seed: 3, out, force: false });
    for (const row of r.individualEffects) {
      expect([row.mean, row.sd, row.q05, row.q95]).toEqual([0, 0, 0, 0]);
      expect(row.shareBenefit).toBe(0);
    }
    expect(r.individualEffects.map((x) => x.subgroup)).toContain('region');
  });
});
