import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { tempDir } from '../helpers.js';

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'vtrial', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), interactive: false });
  return { code, stdout, stderr };
}

describe('vtrial CLI', () => {
  it('every command has --help with examples', async () => {
    for (const cmd of [[], ['cohort'], ['screen'], ['run'], ['analyze'], ['merge'], ['sample-size'], ['validate']]) {
      const r = await cli(...cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:\n {2}vtrial /);
    }
  });
  it('exit code 2 and a message for a bad flag value or a missing option', async () => {
    const a = await cli('cohort', 'cohorts/t2d.yaml', '--n', 'ten', '--out', 'x.csv');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/expected a number of twins \(a whole number >= 1 and <= 100,000,000\), found "ten"/);
    const b = await cli('cohort', 'cohorts/t2d.yaml', '--n', '5');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/required option '-o, --out <file>' not specified/);
    const c = await cli('cohort', 'cohorts/t2d.yaml', '--n', '5', '--out', 'twins.txt');
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/cannot tell the format of "twins.txt"/);
  });
  it('exit code 2 for a bad spec, naming file, line and path', async () => {
    const r = await cli('cohort', 'test/fixtures/specs/bad-cohort.yaml', '--n', '5', '--out', join(tempDir(), 'x.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/test\/fixtures\/specs\/bad-cohort\.yaml:10:9 {2}covariates\.age\.sd: expected a number > 0, found -3/);
  });
  it('validate: 0 when all specs are valid, 2 otherwise, JSON on request', async () => {
    const ok = await cli('validate', 'cohorts/t2d.yaml', 'cohorts/hypertension.yaml', 'cohorts/nsclc.yaml', 'cohorts/t2d-empirical.yaml', 'protocols/t2d-weekly-injectable.yaml');
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n').every((l) => l.startsWith('ok '))).toBe(true);
    const bad = await cli('validate', 'cohorts/t2d.yaml', 'test/fixtures/specs/bad-cohort.yaml', '--format', 'json');
    expect(bad.code).toBe(2);
    const entries = JSON.parse(bad.stdout);
    expect(entries.map((e: { ok: boolean }) => e.ok)).toEqual([true, false]);
  });
  it('screen: the CONSORT flow as text or JSON; exit code 3 when the target is not reached', async () => {
    const text = await cli('screen', 'protocols/t2d-weekly-injectable.yaml', '--seed', '7');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Enrolled \(target 388\)\s+388/);
    const json = await cli('screen', 'protocols/t2d-weekly-injectable.yaml', '--seed', '7', '--format', 'json');
    const flow = JSON.parse(json.stdout);
    expect(flow.enrolled).toBe(388);
    expect(flow.screened).toBe(flow.screenedToTarget);
    expect(text.stdout).toContain(`Twins screened to enrol the target of 388: ${flow.screened}`);
    const short = await cli('screen', 'test/fixtures/specs/strict.yaml');
    expect(short.code).toBe(3);
    expect(short.stderr).toMatch(/vtrial: enrolment target not reached/);
  });
  it('cohort --protocol writes screening columns and prints the screen-failure table', async () => {
    const out = join(tempDir(), 'twins.csv');
    const r = await cli('cohort', 'cohorts/t2d.yaml', '--n', '300', '--seed', '7', '--protocol', 'protocols/t2d-weekly-injectable.yaml', '--out', out);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
      'twin,sex,age,height,weight,hba1c,diabetes_duration,creatinine,metformin,bmi,egfr,eligible,first_failed,enrolled,fails_adult,fails_hba1c_range,fails_on_metformin,fails_severe_renal,fails_extreme_bmi',
    );
    expect(r.stdout).toMatch(/Screening flow\s+twins/);
    expect(r.stdout).toMatch(/Twins needed to enrol the target of 388: about \d+ at this eligibility rate \(not reached here\)/);
  });
  it('run: JSON report for pipelines; exit code 2 for a non-empty output directory; 2 for a protocol without arms', async () => {
    const dir = join(tempDir(), 'run');
    const r = await cli('run', 'test/fixtures/protocols/identical-arms.yaml', '--seed', '3', '--out', dir, '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.enrolled).toBe(300);
    expect(report.arms.map((a: { arm: string }) => a.arm)).toEqual(['a', 'b']);
    expect(report.arms[0].randomised + report.arms[1].randomised).toBe(300);
    const again = await cli('run', 'test/fixtures/protocols/identical-arms.yaml', '--out', dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is not empty .* add --force/);
    const noArms = await cli('run', 'test/fixtures/specs/strict.yaml', '--out', join(tempDir(), 'x'));
    expect(noArms.code).toBe(2);
    expect(noArms.stderr).toMatch(/has no arms: it can be screened \(vtrial screen\) but not run/);
  });
  it('sample-size: unadjusted (power.t.test) and PROCOVA per-arm n; bad values exit 2', async () => {
    const r = await cli('sample-size', '--delta', '0.5', '--sd', '1', '--rho', '0.6', '--power', '0.9', '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rows.map((x: { analysis: string }) => x.analysis)).toEqual(['t test', 'PROCOVA (rho 0.6, 1 covariate)']);
    expect(Math.ceil(j.rows[0].nControl)).toBe(86); // R: power.t.test(delta = 0.5, sd = 1, power = 0.9)$n = 85.03
    expect(j.rows[1].nControl / j.rows[0].nControl).toBeCloseTo(0.64, 1);
    const bad = await cli('sample-size', '--delta', '0.5', '--sd', '1', '--rho', '1.2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--rho: expected a value between -0.999999 and 0.999999, found 1.2/);
    const empty = await cli('sample-size', '--delta', '0.5', '--sd', '1', '--rho', '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/expected a correlation \(a finite decimal number such as 0.5\), found ""/);
  });
  it('runaway sizes are refused up front with exit code 2, stating the limit and how to go further', async () => {
    const dir = tempDir();
    const n = await cli('cohort', 'cohorts/t2d.yaml', '--n', '1000000000', '--out', join(dir, 'x.csv'));
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/1,000,000,000 is above the limit of 100,000,000 for a number of twins; generate more as several files with --replicate 0, 1, 2/);
    const r = await cli('run', 'test/fixtures/protocols/power.yaml', '--replicates', '100000000', '--out', join(dir, 'r'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/100,000,000 is above the limit of 1,000,000 for a number of replicates/);
    const w = await cli('run', 'test/fixtures/protocols/power.yaml', '--replicates', '2', '--workers', '1000', '--allow-oversubscribe', '--out', join(dir, 'w'));
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--workers 1000 is above the hard limit of 256 worker threads/);
    expect(existsSync(join(dir, 'x.csv')) || existsSync(join(dir, 'r')) || existsSync(join(dir, 'w'))).toBe(false);
  });
  it('the installed executable runs (bin/vtrial.js on the compiled CLI)', () => {
    const version = execFileSync(process.execPath, ['bin/vtrial.js', '--version'], { encoding: 'utf8' }).trim();
    expect(version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    const dir = tempDir();
    const r = spawnSync(process.execPath, ['bin/vtrial.js', 'cohort', 'cohorts/nsclc.yaml', '--n', '20', '--out', join(dir, 'n.jsonl')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'n.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(20);
    expect(existsSync(join(dir, 'n.jsonl'))).toBe(true);
  });
});
