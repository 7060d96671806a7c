import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { dataset, expectAllR, expectR, R } from '../stats/reference.js';
import { tempDir } from '../helpers.js';

/** Writes R's reference datasets as an ADaM export: ADSL, ADEFF (Y and R), ADTTE (SURV), empty ADAE. */
function writeExport(dir: string): void {
  const cont = dataset('continuous');
  const bin = dataset('binary');
  const surv = dataset('survival');
  const adsl = [...cont, ...bin, ...surv].map((r) => [r.USUBJID, 'Y', r.ARM, 'COMPLETED', r.AGE ?? 60]);
  const adeff = [
    ...cont.map((r) => [r.USUBJID, 'Y', 'Week 4', Number(r.BASE) + Number(r.CHG), r.BASE, r.CHG]),
    ...bin.map((r) => [r.USUBJID, 'R', 'Week 4', r.RESP, 0, r.RESP]),
  ];
  const adtte = surv.map((r) => [r.USUBJID, 'SURV', r.AVAL, r.CNSR]);
  const w = (name: string, columns: string[], rows: unknown[][]) => writeFileSync(join(dir, name), stringify(rows, { header: true, columns }));
  w('adsl.csv', ['USUBJID', 'RANDFL', 'TRT01A', 'EOSSTT', 'AGE'], adsl);
  w('adeff.csv', ['USUBJID', 'PARAMCD', 'AVISIT', 'AVAL', 'BASE', 'CHG'], adeff);
  w('adtte.csv', ['USUBJID', 'PARAMCD', 'AVAL', 'CNSR'], adtte);
  w('adae.csv', ['USUBJID', 'AEDECOD', 'AETOXGR', 'AESER', 'AEACN'], []);
}

describe('vtrial analyze on an ADaM export of the R reference data reproduces R', async () => {
  const dir = tempDir();
  writeExport(dir);
  const r = await analyzeCommand({ dir, protocolFile: 'test/fixtures/analysis/reference-protocol.yaml' });
  const row = (i: number) => r.efficacy[i]!;

  it('ANCOVA on baseline (primary)', () => {
    const e = R.continuous.ancova_base;
    expect(row(0)).toMatchObject({ endpoint: 'CHG_W4', role: 'primary', arm: 'ACTIVE', control: 'PLACEBO', nArm: 130, nControl: 110 });
    expectR(row(0).estimate, e.estimate);
    expectR(row(0).se, e.se);
    expectR(row(0).p, e.p);
    expectAllR([row(0).lower, row(0).upper], e.ci);
  });
  it('Welch and pooled t-tests', () => {
    expectR(row(1).estimate, R.continuous.welch.diff);
    expectR(row(1).p, R.continuous.welch.p);
    expectAllR([row(1).lower, row(1).upper], R.continuous.welch.ci);
    expectR(row(2).p, R.continuous.pooled.p);
    expectAllR([row(2).lower, row(2).upper], R.continuous.pooled.ci);
  });
  it('risk difference with chi-square p; Fisher odds ratio', () => {
    expectR(row(3).estimate, R.binary.risk_difference.estimate);
    expectAllR([row(3).lower, row(3).upper], R.binary.risk_difference.wald_ci);
    expectR(row(3).p, R.binary.chisq.p);
    expectR(row(4).estimate, R.binary.fisher.conditional_mle_or);
    expectAllR([row(4).lower, row(4).upper], R.binary.fisher.ci);
    expectR(row(4).p, R.binary.fisher.p);
  });
  it('Cox (Efron), log-rank, Cox adjusted for age; KM medians as arm summaries', () => {
    expectR(row(5).estimate, R.survival.cox_efron.hr);
    expectR(row(5).p, R.survival.cox_efron.wald_p);
    expectAllR([row(5).lower, row(5).upper], R.survival.cox_efron.ci);
    expectR(row(5).armSummary, R.survival.km.median.ACTIVE);
    expectR(row(5).controlSummary, R.survival.km.median.PLACEBO);
    expectR(row(6).p, R.survival.logrank.p);
    expectR(row(7).estimate, R.survival.cox_efron_adjusted_age.hr);
  });
  it('no counterfactuals in an export: the truth is unknown (NA), decisions are made', () => {
    expect(r.truthAvailable).toBe(false);
    expect(r.efficacy.every((x) => x.trueEffect === null && x.reject !== null)).toBe(true);
    expect(r.efficacy.map((x) => x.pAdjusted)).toEqual(r.efficacy.map((x) => x.p)); // multiplicity: none
  });
});
