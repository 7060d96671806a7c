import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { tempDir } from '../helpers.js';

const R = 400;
const se = (p: number) => Math.sqrt((p * (1 - p)) / R);

describe('synthetic and hybrid control arms', async () => {
  const out = join(tempDir(), 'ext');
  const r = await replicatesCommand({ protocolFile: 'test/fixtures/protocols/external-control.yaml', seed: 21, replicates: R, workers: 2, keepPatients: 1, out, force: false });
  const oc = (name: string) => r.summary!.scenarios.find((s) => s.name === name)!.operatingCharacteristics[0]!;

  it('from the same population, synthetic and hybrid controls keep the type I error at alpha', () => {
    for (const s of ['null_concurrent', 'null_synthetic', 'null_hybrid']) {
      expect(Math.abs(oc(s).power - 0.05), `${s}: ${oc(s).power}`).toBeLessThan(3 * se(0.05));
      expect(Math.abs(oc(s).coverage! - 0.95), `${s} coverage`).toBeLessThan(3 * se(0.95));
    }
  });
  it('from a shifted external population they do not, and the report shows the bias', () => {
    const shifted = oc('null_synthetic_shifted');
    expect(shifted.power).toBeGreaterThan(0.05 + 10 * se(0.05));
    expect(shifted.trueEffect).toBe(0);
    expect(shifted.bias!).toBeLessThan(-0.5); // active minus a control whose baseline is 0.6 higher
    expect(shifted.coverage!).toBeLessThan(0.5);
  });
  it('a synthetic control estimates the true effect without bias when populations match', () => {
    const s = oc('synthetic');
    expect(s.trueEffect!).toBeCloseTo(-0.5, 9);
    expect(Math.abs(s.bias!)).toBeLessThan(3 * (s.rmse! / Math.sqrt(R)) + 1e-9);
  });
  it('ADaM files flag external twins; randomisation and truth concern trial twins only', () => {
    const adsl = parse(readFileSync(join(out, 'patients', 'null_synthetic', 'replicate-000001', 'adsl.csv')), { columns: true }) as Record<string, string>[];
    const ext = adsl.filter((x) => x.EXTFL === 'Y');
    const rand = adsl.filter((x) => x.RANDFL === 'Y');
    expect(rand).toHaveLength(120);
    expect(rand.every((x) => x.TRT01A === 'active')).toBe(true); // synthetic: nobody randomised to control
    expect(ext).toHaveLength(120); // the size of the active arm
    expect(ext.every((x) => x.TRT01A === 'control' && x.RANDFL === 'N' && x.USUBJID!.startsWith('E1-'))).toBe(true);
    const cf = parse(readFileSync(join(out, 'patients', 'null_synthetic', 'replicate-000001', 'counterfactual.csv')), { columns: true }) as Record<string, string>[];
    expect(cf).toHaveLength(120);
    const hybrid = parse(readFileSync(join(out, 'patients', 'null_hybrid', 'replicate-000001', 'adsl.csv')), { columns: true }) as Record<string, string>[];
    expect(hybrid.filter((x) => x.RANDFL === 'Y' && x.TRT01A === 'control')).toHaveLength(40);
    expect(hybrid.filter((x) => x.EXTFL === 'Y')).toHaveLength(40); // top-up to the active arm's 80
  });
});
