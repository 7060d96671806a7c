import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/usage-error.js';
import { runCommand } from '../../src/app/run-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';

const FILES = ['adae.csv', 'adeff.csv', 'adpc.csv', 'adsl.csv', 'adtte.csv', 'counterfactual.csv', 'efficacy.csv', 'ite.csv', 'run.json', 'safety.csv', 'summary.json'];
const run = (out: string, seed = 7, protocol = 'test/fixtures/protocols/identical-arms.yaml') =>
  runCommand({ protocolFile: protocol, seed, out, force: false, argv: ['vtrial', 'run', protocol, '--seed', String(seed)] });
type Rec = Record<string, string>;
const csv = (dir: string, f: string) => parse(readFileSync(join(dir, f)), { columns: true }) as Rec[];

describe('vtrial run', () => {
  const root = tempDir();
  const [a, b, c] = ['a', 'b', 'c'].map((x) => join(root, x));

  it('writes every ADaM-shaped file; the same seed gives byte-identical files, another seed does not', async () => {
    await run(a!);
    await run(b!);
    await run(c!, 8);
    expect(readdirSync(a!).sort()).toEqual(FILES);
    for (const f of FILES) expect(readFileSync(join(a!, f)).equals(readFileSync(join(b!, f))), f).toBe(true);
    for (const f of FILES.filter((x) => x !== 'run.json')) expect(readFileSync(join(a!, f)).equals(readFileSync(join(c!, f))), f).toBe(false);
  });

  it('ADSL has one row per screened twin; ADEFF, ADTTE, ADAE follow ADaM conventions', () => {
    const adsl = csv(a!, 'adsl.csv');
    const run = JSON.parse(readFileSync(join(a!, 'run.json'), 'utf8'));
    expect(adsl).toHaveLength(run.screening.screened);
    const randomised = adsl.filter((r) => r.RANDFL === 'Y');
    expect(randomised).toHaveLength(300);
    expect(randomised.every((r) => r.TRT01P === r.TRT01A && ['a', 'b'].includes(r.TRT01A!))).toBe(true);
    const endDay = new Map(randomised.map((r) => [r.USUBJID, Number(r.EOSDY)]));
    // ADEFF: baseline flagged, CHG = AVAL - BASE, nothing after the end of observation.
    const adeff = csv(a!, 'adeff.csv');
    for (const r of adeff) {
      expect(Number(r.CHG)).toBeCloseTo(Number(r.AVAL) - Number(r.BASE), 12);
      expect(r.ABLFL).toBe(r.AVISIT === 'Baseline' ? 'Y' : '');
      expect(Number(r.ADY) - 1).toBeLessThanOrEqual(endDay.get(r.USUBJID!)!);
    }
    const dropped = randomised.filter((r) => r.EOSSTT === 'DISCONTINUED');
    expect(dropped.length).toBeGreaterThan(5);
    expect(dropped.every((r) => ['WITHDRAWAL BY SUBJECT', 'ADVERSE EVENT', 'DEATH'].includes(r.DCSREAS!))).toBe(true);
    // ADTTE: CNSR 0 = event (with EVNTDESC), 1 = censored (with CNSDTDSC), AVAL within observation.
    const adtte = csv(a!, 'adtte.csv');
    expect(adtte).toHaveLength(300);
    for (const r of adtte) {
      expect(r.CNSR === '0' ? r.EVNTDESC === 'EVENT' && r.CNSDTDSC === '' : r.EVNTDESC === '' && ['END OF STUDY', 'DROPOUT', 'DEATH'].includes(r.CNSDTDSC!)).toBe(true);
      expect(Number(r.AVAL)).toBeLessThanOrEqual(endDay.get(r.USUBJID!)!);
    }
    // ADAE: treatment-emergent, onset within observation, action taken recorded.
    const adae = csv(a!, 'adae.csv');
    expect(adae.length).toBeGreaterThan(10);
    for (const r of adae) {
      expect(Number(r.ASTDY) - 1).toBeLessThanOrEqual(endDay.get(r.USUBJID!)!);
      expect(['DRUG WITHDRAWN', 'DOSE NOT CHANGED']).toContain(r.AEACN);
    }
    // Counterfactuals: one row per randomised twin, each endpoint under each arm.
    const cf = csv(a!, 'counterfactual.csv');
    expect(Object.keys(cf[0]!)).toEqual(['USUBJID', 'TRTA', 'Y_CHG.a', 'Y_CHG.b', 'Y_RESP.a', 'Y_RESP.b', 'TTE.a', 'TTE.b']);
    expect(cf.every((r) => r['Y_CHG.a'] === r['Y_CHG.b'])).toBe(true);
  });

  it('run.json records inputs with hashes, the resolved specs with defaults, and the command', () => {
    const m = JSON.parse(readFileSync(join(a!, 'run.json'), 'utf8'));
    expect(m.seed).toBe(7);
    expect(m.command).toEqual(['vtrial', 'run', 'test/fixtures/protocols/identical-arms.yaml', '--seed', '7']);
    expect(m.protocol.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.cohort.file).toBe('test/fixtures/protocols/cohort.yaml');
    expect(m.protocol.resolved.arms[0].allocation).toBe(1); // a default, resolved
    expect(m.protocol.resolved.enrolment.max_screened).toBe(6000);
    expect(m.files['adtte.csv'].rows).toBe(300);
  });

  it('refuses a non-empty directory unless forced, then replaces the previous files', async () => {
    const d = join(root, 'd');
    mkdirSync(d);
    writeFileSync(join(d, 'notes.txt'), 'mine');
    await expect(run(d)).rejects.toThrow(UsageError);
    expect(readdirSync(d)).toEqual(['notes.txt']);
    await runCommand({ protocolFile: 'test/fixtures/protocols/identical-arms.yaml', seed: 7, out: d, force: true });
    expect(readdirSync(d).sort()).toEqual([...FILES, 'notes.txt'].sort());
    expect(readFileSync(join(d, 'adeff.csv')).equals(readFileSync(join(a!, 'adeff.csv')))).toBe(true);
  });

  it('bad trial specs are errors naming the path: visit after study end, no doses, unknown visit, biomarker and arm', () => {
    let err: SpecError | undefined;
    try {
      loadProtocol('test/fixtures/protocols/bad-trial.yaml');
    } catch (e) {
      err = e as SpecError;
    }
    expect(err).toBeInstanceOf(SpecError);
    // The shape problem does not hide the cross-reference problems: all are listed at once.
    const crossReference = [
      'arms.2.treatment.infusion_hours: is required for an iv_infusion',
      'randomisation.block_size: must be a multiple of the sum of the allocation weights (3), found 4',
      'visits.days.2: visit day 90 is after the end of the study (study.duration_days = 84)',
      'pk.ka: is required: arm "drug" is dosed oral (first-order absorption)',
      'biomarkers.y.baseline: unknown name "wieght" (did you mean "weight"?); known names: sex, region, age, weight, y0',
      'endpoints.0.visit: unknown visit "Week 13"; visits: Baseline, Week 4, Week 8',
      'endpoints.1.biomarker: unknown biomarker "z"; biomarkers: y',
      'endpoints.2.hazard_ratio.drugg: "drugg" is not an arm (did you mean "drug"?); arms: placebo, drug, inf',
    ];
    expect(err!.issues.map((i) => `${i.path.join('.')}: ${i.message.replace(/ \(cohort: .*\)$/, '')}`)).toEqual(['arms.1.treatment.doses: expected a whole number >= 1, found 0', ...crossReference]);
    // With the regimen fixed, the same cross-reference problems remain.
    const text = readFileSync('test/fixtures/protocols/bad-trial.yaml', 'utf8').replace('doses: 0', 'doses: 10');
    // Beside a copy of the fixture's cohort, in a temporary directory: tests never write under test/.
    const fixedDir = tempDir();
    copyFileSync('test/fixtures/protocols/cohort.yaml', join(fixedDir, 'cohort.yaml'));
    const fixed = join(fixedDir, 'bad-trial-fixed.yaml');
    writeFileSync(fixed, text);
    try {
      loadProtocol(fixed);
    } catch (e) {
      err = e as SpecError;
    }
    expect(err!.issues.map((i) => `${i.path.join('.')}: ${i.message.replace(/ \(cohort: .*\)$/, '')}`)).toEqual(crossReference);
    expect(err!.issues.every((i) => typeof i.line === 'number')).toBe(true);
  });
});
