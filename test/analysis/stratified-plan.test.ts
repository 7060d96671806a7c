/** `strata:` in an analysis item reaches the log-rank test and the Cox model (and the truth). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/run-command.js';
import { logRank } from '../../src/stats/log-rank.js';
import { coxPh } from '../../src/stats/cox.js';
import { isNotEstimable } from '../../src/stats/not-estimable.js';
import { REPO } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

type Row = Record<string, string>;

describe('stratified analyses in a plan', () => {
  it('the stratified log-rank and Cox rows equal survdiff/coxph + strata() computed from the run\'s own ADaM files', async () => {
    const dir = tempDir('vtrial-strata-');
    const spec = parseYaml(readFileSync(join(REPO, 'protocols/nsclc-first-line.yaml'), 'utf8')) as Record<string, unknown>;
    spec.cohort = resolve(REPO, 'protocols', String(spec.cohort));
    delete spec.scenarios;
    spec.analysis = {
      primary: [{ endpoint: 'PFS', method: 'logrank', strata: ['pdl1', 'smoking'] }],
      secondary: [{ endpoint: 'PFS', method: 'logrank' }, { endpoint: 'PFS', method: 'cox', strata: ['pdl1'] }],
      multiplicity: { primary: 'none', secondary: 'none' },
    };
    const protocolFile = join(dir, 'p.yaml');
    writeFileSync(protocolFile, stringifyYaml(spec));
    const r = await runCommand({ protocolFile, seed: 3, out: join(dir, 'out'), force: false });
    const adsl = parseCsv(readFileSync(join(dir, 'out', 'adsl.csv')), { columns: true }) as Row[];
    const adtte = (parseCsv(readFileSync(join(dir, 'out', 'adtte.csv')), { columns: true }) as Row[]).filter((x) => x.PARAMCD === 'PFS');
    const bySubject = new Map(adsl.map((x) => [x.USUBJID!, x]));
    // Active arm first, then control, as the analysis orders them.
    const control = r.efficacy[0]!.control;
    const rows = [...adtte.filter((x) => x.TRTA !== control), ...adtte.filter((x) => x.TRTA === control)];
    const time = rows.map((x) => Number(x.AVAL));
    const event = rows.map((x) => 1 - Number(x.CNSR));
    const codes = (vars: string[]) => {
      const m = new Map<string, number>();
      return rows.map((x) => {
        const key = vars.map((v) => bySubject.get(x.USUBJID!)![v]).join('/');
        if (!m.has(key)) m.set(key, m.size);
        return m.get(key)!;
      });
    };
    const groups = rows.map((x) => (x.TRTA === control ? 'control' : 'arm'));
    const stratified = logRank(time, event, groups, ['arm', 'control'], { strata: codes(['pdl1', 'smoking']) });
    const plain = logRank(time, event, groups, ['arm', 'control']);
    const [a, b, c] = r.efficacy;
    expect(a!.p).toBeCloseTo(stratified.p, 12);
    expect(b!.p).toBeCloseTo(plain.p, 12);
    expect(a!.p).not.toBe(b!.p);
    const cox = coxPh(time, event, { TRT: groups.map((g) => (g === 'arm' ? 1 : 0)) }, 'efron', 0.95, { strata: codes(['pdl1']) });
    if (isNotEstimable(cox)) throw new Error(cox.reason);
    expect(c!.estimate).toBeCloseTo(cox.coefficients.TRT!.hr, 12);
    // The stratified rows' truths are stratified Cox fits on the counterfactuals: finite, and not the unstratified one.
    expect(Number.isFinite(a!.trueEffect)).toBe(true);
    expect(a!.trueEffect).not.toBe(b!.trueEffect);
  });
});
