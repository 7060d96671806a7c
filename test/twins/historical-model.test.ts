import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/run-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { DataError } from '../../src/errors/data-error.js';
import { predictHistorical } from '../../src/twins/historical-model.js';
import { tempDir } from '../helpers.js';

/**
 * The protocol fixture reads historical-controls.csv beside itself; tests write only into temporary
 * directories, so each test gets its own copy of the protocol (cohort path made absolute) and CSV.
 */
function protocolCopy(): { protocol: string; csv: string } {
  const dir = tempDir();
  const text = readFileSync('test/fixtures/analysis/procova-historical.yaml', 'utf8').replace('cohort: ../protocols/cohort.yaml', `cohort: ${JSON.stringify(resolve('test/fixtures/protocols/cohort.yaml'))}`);
  const protocol = join(dir, 'procova-historical.yaml');
  writeFileSync(protocol, text);
  return { protocol, csv: join(dir, 'historical-controls.csv') };
}

/** Historical controls: an earlier run's twins with their control-arm outcome (counterfactual). */
async function writeHistorical(file: string): Promise<void> {
  const out = join(tempDir(), 'hist');
  await runCommand({ protocolFile: 'test/fixtures/protocols/procova-informative.yaml', seed: 99, out, force: false });
  const adsl = new Map((parse(readFileSync(join(out, 'adsl.csv')), { columns: true }) as Record<string, string>[]).map((r) => [r.USUBJID, r]));
  const cf = parse(readFileSync(join(out, 'counterfactual.csv')), { columns: true }) as Record<string, string>[];
  writeFileSync(file, stringify(cf.map((r) => [adsl.get(r.USUBJID!)!.y0, adsl.get(r.USUBJID!)!.age, r['Y.control']]), { header: true, columns: ['y0', 'age', 'Y'] }));
}

describe('prognostic model trained on historical controls', () => {
  it('fits a linear model, reports it, and scores the trial twins with it', async () => {
    const { protocol: FIXTURE, csv } = protocolCopy();
    await writeHistorical(csv);
    const p = loadProtocol(FIXTURE);
    const fit = p.prognostic!.fit!;
    expect(fit.n).toBe(100);
    // Y = y0 + b0 + e: slope on y0 near 1, none on age, R^2 near 2/3.
    expect(Math.abs(fit.coefficients.y0!.estimate - 1)).toBeLessThan(4 * fit.coefficients.y0!.se);
    expect(Math.abs(fit.coefficients.age!.estimate)).toBeLessThan(4 * fit.coefficients.age!.se);
    expect(fit.rSquared).toBeGreaterThan(0.5);
    expect(fit.rSquared).toBeLessThan(0.8);
    const r = await runCommand({ protocolFile: FIXTURE, seed: 2, out: join(tempDir(), 'run'), force: false });
    expect(r.prognostic!.method).toBe(`linear model on historical controls (n = 100, R^2 = ${fit.rSquared.toFixed(3)})`);
    expect(r.prognostic!.correlation!).toBeGreaterThan(0.6);
    expect(r.varianceReduction[0]!.vsUnadjusted!).toBeLessThan(0.6);
  });
  it('a missing column or a bad cell in the historical file is a clear error', async () => {
    const { protocol: FIXTURE, csv } = protocolCopy();
    writeFileSync(csv, 'y0,age,Y\n8.1,50,8.3\n7.9,x,7.7\n');
    expect(() => loadProtocol(FIXTURE)).toThrow(new DataError(relative(process.cwd(), csv), 'row 2 (line 3), column "age": expected a number, found "x"'));
    writeFileSync(csv, 'y0,Y\n8.1,8.3\n');
    expect(() => loadProtocol(FIXTURE)).toThrow(/missing column "age" \(the header has: y0, Y\)/);
  });
  it('a constant covariate in the historical data is aliased: NA coefficient, left out of the score (R predict.lm), named in the description', async () => {
    const { protocol: FIXTURE, csv } = protocolCopy();
    await writeHistorical(csv);
    const rows = parse(readFileSync(csv), { columns: true }) as Record<string, string>[];
    writeFileSync(csv, stringify(rows.map((r) => ({ ...r, age: '50' })), { header: true }));
    const fit = loadProtocol(FIXTURE).prognostic!.fit!;
    expect(fit.aliased).toEqual(['age']);
    expect(fit.coefficients.age!.estimate).toBeNaN();
    expect(predictHistorical(fit, { y0: 8, age: 61 })).toBeCloseTo(fit.coefficients['(Intercept)']!.estimate + 8 * fit.coefficients.y0!.estimate, 12);
    const out = join(tempDir(), 'run');
    const r = await runCommand({ protocolFile: FIXTURE, seed: 2, out, force: false });
    expect(r.prognostic!.method).toBe(`linear model on historical controls (n = 100, R^2 = ${fit.rSquared.toFixed(3)}; age dropped: constant or collinear in the historical data (R's lm reports NA))`);
    const prog = (parse(readFileSync(join(out, 'adsl.csv')), { columns: true }) as Record<string, string>[]).filter((x) => x.RANDFL === 'Y').map((x) => Number(x.PROG));
    expect(prog.length).toBeGreaterThan(0);
    expect(prog.every(Number.isFinite)).toBe(true);
  });
});
