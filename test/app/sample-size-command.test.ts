/**
 * `vtrial sample-size` (issue 11 part 2, issue 12): one command whose effect flags choose the
 * mode. Each mode's size equals R's on the reference data (power.t.test, rpact's
 * getSampleSizeRates, Schoenfeld's events, getSampleSizeMeans), the power at a given size is its
 * inverse, and every flag combination that cannot be meant is exit 2 naming the flag.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleSizeCommand, type SampleSizeResult } from '../../src/app/sample-size-command.js';
import { runCli } from '../../src/cli/index.js';
import { REPO } from '../adversarial/harness.js';

const R = JSON.parse(readFileSync(join(REPO, 'test/fixtures/r-reference/expected.json'), 'utf8'));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'vtrial', 'sample-size', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), interactive: false });
  return { code, stdout, stderr };
}
const json = async (...args: string[]): Promise<SampleSizeResult> => {
  const r = await cli(...args, '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('vtrial sample-size: fixed designs against R', () => {
  it('means: the t test is power.t.test (n per arm 159.891274472), and the power at a size is its inverse', async () => {
    const t = R.power.t_test_n;
    const r = await json('--delta', String(t.delta), '--sd', String(t.sd), '--power', String(t.power));
    expect(r.rows).toHaveLength(1); // no --rho: no PROCOVA row
    expect(rel(r.rows[0]!.nControl!, t.n_per_arm)).toBeLessThan(1e-6);
    expect(r.rows[0]!.n).toBeCloseTo(2 * r.rows[0]!.nControl!, 10);
    const p = R.power.t_test_power;
    const q = await json('--delta', String(p.delta), '--sd', String(p.sd), '--n', String(2 * p.n_per_arm));
    expect(rel(q.rows[0]!.power, p.power)).toBeLessThan(1e-8);
  });
  it('means with --rho also gives PROCOVA; the text shows both sizes rounded up per arm', async () => {
    const r = await cli('--delta', '0.35', '--sd', '1.22', '--rho', '0.82');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Size for power 0.8: difference in means 0.35, sd 1.22; two-sided alpha 0.05/);
    expect(r.stdout).toMatch(/t test\s+383\.39\s+191\.70\s+191\.70\s+384 \(192 \+ 192\)\s+0\.8000/);
    expect(r.stdout).toMatch(/PROCOVA \(rho 0.82, 1 covariate\)\s+126\.93\s+63\.47\s+63\.47\s+128 \(64 \+ 64\)/);
  });
  it('one-sided at alpha is the two-sided test at 2 alpha; unequal allocation needs more patients and reaches the power', async () => {
    const one = await json('--delta', '0.5', '--sd', '1', '--sided', '1', '--alpha', '0.025');
    const two = await json('--delta', '0.5', '--sd', '1', '--alpha', '0.05');
    expect(one.rows[0]!.n).toBe(two.rows[0]!.n);
    const a2 = await json('--delta', '0.5', '--sd', '1', '--allocation', '2');
    expect(a2.rows[0]!.nActive! / a2.rows[0]!.nControl!).toBeCloseTo(2, 12);
    expect(a2.rows[0]!.n!).toBeGreaterThan(two.rows[0]!.n!);
    expect(a2.rows[0]!.power).toBeCloseTo(0.8, 6);
    const back = await json('--delta', '0.5', '--sd', '1', '--allocation', '2', '--n', String(a2.rows[0]!.n));
    expect(back.rows[0]!.power).toBeCloseTo(0.8, 6);
  });
  it("two proportions: rpact's getSampleSizeRates (324.668764127), and the power at that size is 0.8", async () => {
    const s = R.sample_size.rates;
    const r = await json('--p1', String(s.inputs.pi1), '--p2', String(s.inputs.pi2), '--power', String(1 - s.inputs.beta));
    expect(rel(r.rows[0]!.n!, s.nFixed)).toBeLessThan(1e-6);
    expect(rel(r.rows[0]!.nActive!, s.nFixed1)).toBeLessThan(1e-6);
    const back = await json('--p1', String(s.inputs.pi1), '--p2', String(s.inputs.pi2), '--n', String(s.nFixed));
    expect(back.rows[0]!.power).toBeCloseTo(0.8, 8);
  });
  it("hazard ratio: Schoenfeld's events for 1:1 and 2:1 (246.787104547, 277.635492616) and their power", async () => {
    const s = R.sample_size.schoenfeld;
    const one = await json('--hr', String(s.inputs.hazardRatio));
    expect(rel(one.rows[0]!.events!, s.events_1to1)).toBeLessThan(1e-6);
    const two = await json('--hr', String(s.inputs.hazardRatio), '--allocation', '2');
    expect(rel(two.rows[0]!.events!, s.events_allocation)).toBeLessThan(1e-6);
    const back = await json('--hr', String(s.inputs.hazardRatio), '--allocation', '2', '--events', String(s.events_allocation));
    expect(back.rows[0]!.power).toBeCloseTo(0.8, 8);
    const text = (await cli('--hr', '0.7')).stdout;
    expect(text).toMatch(/log-rank \(Schoenfeld's events\)\s+246\.79\s+247\s+0\.8000/);
  });
});

describe('vtrial sample-size: group-sequential designs against rpact', () => {
  const info = ['--information', '0.333333333333333,0.666666666666667,1', '--looks', '3', '--sided', '1', '--alpha', '0.025'];
  it('means, design a (asOF): getSampleSizeMeans with the t approximation, looks and expected sizes', async () => {
    const ref = R.group_sequential.sample_size_means.a.t_approximation;
    const d = R.group_sequential.designs.a;
    const r = await json('--delta', '2', '--sd', '5', ...info);
    const s = r.sequential!;
    expect(rel(s.maxSize, ref.maxNumberOfSubjects)).toBeLessThan(1e-6);
    expect(rel(s.fixedSize, ref.nFixed)).toBeLessThan(1e-6);
    expect(rel(s.expectedSizeH0, ref.expectedNumberOfSubjectsH0)).toBeLessThan(1e-6);
    expect(rel(s.expectedSizeH1, ref.expectedNumberOfSubjectsH1)).toBeLessThan(1e-6);
    s.looks.forEach((l, k) => {
      expect(rel(l.size, ref.numberOfSubjects[k])).toBeLessThan(1e-6);
      expect(rel(l.criticalValue!, d.criticalValues[k])).toBeLessThan(1e-6);
      expect(rel(l.alphaSpent, d.alphaSpent[k])).toBeLessThan(1e-6);
      expect(rel(l.nominalAlpha, d.stageLevels[k])).toBeLessThan(1e-6);
      expect(rel(l.rejectH1, ref.rejectPerStage[k])).toBeLessThan(1e-6);
    });
    expect(s.overallPower).toBeCloseTo(0.8, 9);
  });
  it('means, design e (non-binding futility 0, 0): sizes and futility stopping per look', async () => {
    const ref = R.group_sequential.sample_size_means.e.t_approximation;
    const s = (await json('--delta', '2', '--sd', '5', ...info, '--futility', '0,0')).sequential!;
    expect(rel(s.maxSize, ref.maxNumberOfSubjects)).toBeLessThan(1e-6);
    expect(rel(s.expectedSizeH0, ref.expectedNumberOfSubjectsH0)).toBeLessThan(1e-6);
    expect(rel(s.looks[0]!.futilityH1!, ref.futilityPerStage[0])).toBeLessThan(1e-6);
    expect(rel(s.looks[1]!.futilityH1!, ref.futilityPerStage[1])).toBeLessThan(1e-6);
    expect(s.looks[2]!.futilityH1).toBeNull();
  });
  it('means, power at 200 patients: getPowerMeans (design a 0.798666638011, e 0.781072456737)', async () => {
    const a = (await json('--delta', '2', '--sd', '5', '--n', '200', ...info)).sequential!;
    expect(rel(a.overallPower, R.group_sequential.power_means.a.t_approximation.overallReject)).toBeLessThan(1e-6);
    expect(rel(a.expectedSizeH1, R.group_sequential.power_means.a.t_approximation.expectedNumberOfSubjects)).toBeLessThan(1e-6);
    const e = (await json('--delta', '2', '--sd', '5', '--n', '200', ...info, '--futility', '0,0')).sequential!;
    expect(rel(e.overallPower, R.group_sequential.power_means.e.t_approximation.overallReject)).toBeLessThan(1e-6);
  });
  it("hazard ratio: the events of getSampleSizeSurvival (249.94469932 at most, expected 213.611261182 under H1), and their power", async () => {
    const ref = R.group_sequential.survival;
    const s = (await json('--hr', '0.7', ...info)).sequential!;
    expect(s.unit).toBe('events');
    expect(rel(s.maxSize, ref.maxNumberOfEvents)).toBeLessThan(1e-6);
    expect(rel(s.expectedSizeH1, ref.expectedEventsH1)).toBeLessThan(1e-6);
    expect(rel(s.expectedSizeH0, ref.expectedEventsH0)).toBeLessThan(1e-6);
    expect(rel(s.fixedSize, ref.eventsFixed)).toBeLessThan(1e-6);
    s.looks.forEach((l, k) => expect(rel(l.size, ref.cumulativeEventsPerStage[k])).toBeLessThan(1e-6));
    const back = (await json('--hr', '0.7', ...info, '--events', String(ref.maxNumberOfEvents))).sequential!;
    expect(back.overallPower).toBeCloseTo(0.8, 7);
    const text = (await cli('--hr', '0.7', ...info)).stdout;
    expect(text).toMatch(/Group-sequential design \(asOF, 3 looks/);
    expect(text).toMatch(/^1\s+0\.333\s+83\.3\s+3\.7103\s+0\.0001035\s+0\.0001035\s+-\s+0\.0186\s+-$/m);
    expect(text).toMatch(/maximum events 249\.94 \(fixed design 246\.79: inflation 1\.0128\); expected events under H0 249\.43, under H1 213\.61; power 0\.8000/);
  });
  it('binding futility and Kim-DeMets spending (rpact figures in test/fixtures/r-extra)', async () => {
    const X = JSON.parse(readFileSync(join(REPO, 'test/fixtures/r-extra/group-sequential-extra.json'), 'utf8'));
    const ref = X.sample_size_means_of_binding;
    const b = (await json('--delta', '2', '--sd', '5', '--looks', '3', '--sided', '1', '--alpha', '0.025', '--futility', '0,0', '--binding')).sequential!;
    expect(b.bindingFutility).toBe(true);
    expect(rel(b.maxSize, ref.maxNumberOfSubjects)).toBeLessThan(1e-6);
    expect(rel(b.expectedSizeH0, ref.expectedNumberOfSubjectsH0)).toBeLessThan(1e-6);
    b.looks.forEach((l, k) => expect(rel(l.criticalValue!, X.designs.of_binding.criticalValues[k])).toBeLessThan(1e-6));
    const kd = X.designs.kd2;
    const k = (await json('--hr', '0.7', '--looks', '4', '--information', '0.2,0.5,0.8,1', '--spending', 'kd', '--gamma', '2', '--sided', '1', '--alpha', '0.025')).sequential!;
    expect(k.design).toBe('asKD');
    k.looks.forEach((l, i) => expect(rel(l.criticalValue!, kd.criticalValues[i])).toBeLessThan(1e-6));
    const text = (await cli('--delta', '2', '--sd', '5', '--looks', '3', '--sided', '1', '--alpha', '0.025', '--futility', '0,0', '--binding')).stdout;
    expect(text).toMatch(/Group-sequential design \(asOF, 3 looks, binding futility;/);
  });
  it("two-sided power at a given size counts both sides, as rpact's getPowerMeans and getPowerSurvival (test/fixtures/r-extra)", async () => {
    const X = JSON.parse(readFileSync(join(REPO, 'test/fixtures/r-extra/group-sequential-extra.json'), 'utf8')).power_two_sided;
    const m = (await json('--delta', '0.1', '--sd', '1', '--looks', '3', '--n', '200')).sequential!;
    expect(rel(m.overallPower, X.means.overallReject)).toBeLessThan(1e-6);
    m.looks.forEach((l, k) => expect(rel(l.rejectH1, X.means.rejectPerStage[k])).toBeLessThan(1e-6));
    const s = (await json('--hr', '0.9', '--looks', '3', '--events', '100')).sequential!;
    expect(rel(s.overallPower, X.survival.overallReject)).toBeLessThan(1e-6);
    s.looks.forEach((l, k) => expect(rel(l.rejectH1, X.survival.rejectPerStage[k])).toBeLessThan(1e-6));
  });
  it('two-sided power mode: the expected size counts a stop at a look once, whichever bound z crosses (rpact in test/fixtures/r-extra/power-expected-size.json)', async () => {
    const X = JSON.parse(readFileSync(join(REPO, 'test/fixtures/r-extra/power-expected-size.json'), 'utf8')) as { cases: { args: string[]; expectedSizeH1: number; overallPower: number }[] };
    for (const c of X.cases) {
      const q = (await json(...c.args)).sequential!;
      expect(rel(q.expectedSizeH1, c.expectedSizeH1), c.args.join(' ')).toBeLessThan(1e-6);
      expect(rel(q.overallPower, c.overallPower), c.args.join(' ')).toBeLessThan(1e-6);
      // Under H1 (even a tiny effect) the trial stops no later than under H0 on average.
      expect(q.expectedSizeH1).toBeLessThanOrEqual(q.expectedSizeH0);
    }
  });
  it('one look is the fixed design', () => {
    const fixed = sampleSizeCommand({ effect: { kind: 'survival', hazardRatio: 0.7 }, alpha: 0.05, sided: 2, allocation: 1, target: { power: 0.8 } });
    const one = sampleSizeCommand({ effect: { kind: 'survival', hazardRatio: 0.7 }, alpha: 0.05, sided: 2, allocation: 1, target: { power: 0.8 }, sequential: { looks: 1, spending: 'of' } });
    expect(one).toEqual(fixed);
  });
});

describe('vtrial sample-size: flags that cannot be meant are exit 2 naming them', () => {
  it.each<[string[], RegExp]>([
    [[], /give the effect: --delta and --sd \(means\), --p1 and --p2 \(two proportions\) or --hr/],
    [['--delta', '0.5'], /a difference in means needs both --delta and --sd \(missing --sd\)/],
    [['--delta', '0.5', '--sd', '1', '--hr', '0.7'], /--delta --sd and --hr are effects of different modes/],
    [['--p1', '0.3'], /two proportions need both --p1 and --p2 \(missing --p2\)/],
    [['--p1', '0.3', '--p2', '1.2'], /--p2: expected a value in \(0, 1\), found 1.2/],
    [['--p1', '0.3', '--p2', '0.3'], /--p2: expected a value at least 1e-6 away from --p1/],
    [['--hr', '1'], /--hr: expected a value above 0 with \|log hr\| between 1e-6 and 20/],
    [['--hr', '0.7', '--n', '100'], /a hazard ratio \(--hr\) is powered by its events: give --events, not --n/],
    [['--delta', '0.5', '--sd', '1', '--events', '100'], /--events is for a hazard ratio/],
    [['--delta', '0.5', '--sd', '1', '--power', '0.8', '--n', '100'], /give one of --power .*, not --power and --n/],
    [['--hr', '0.7', '--rho', '0.5'], /--rho and --hr are effects of different modes/],
    [['--hr', '0.7', '--deflate', '0.9'], /--deflate and --covariates are PROCOVA options/],
    [['--hr', '0.7', '--futility', '0,0'], /--futility need a group-sequential design \(--looks 2 or more\)/],
    [['--hr', '0.7', '--looks', '3', '--information', '0.5,1'], /--information: expected 3 rates \(one per look, the last 1\), found 2/],
    [['--hr', '0.7', '--looks', '3', '--information', '0.5,0.4,1'], /information rates must increase strictly within \(0, 1\]/],
    [['--hr', '0.7', '--looks', '3', '--futility', '0,0'], /futility bounds are for one-sided designs \(--sided 1\)/],
    [['--hr', '0.7', '--looks', '3', '--spending', 'hsd'], /--spending hsd: give --gamma/],
    [['--hr', '0.7', '--looks', '3', '--gamma', '-4'], /--gamma: only with --spending hsd or kd/],
    [['--hr', '0.7', '--looks', '3', '--spending', 'kd'], /--spending kd: give --gamma, Kim-DeMets' rho/],
    [['--hr', '0.7', '--looks', '3', '--spending', 'kd', '--gamma', '-1'], /--gamma: expected a value \(Kim-DeMets' rho\) in \(0, 20\], found -1/],
    [['--hr', '0.7', '--looks', '3', '--sided', '1', '--binding'], /--binding: give the futility bounds that bind \(--futility\)/],
    [['--hr', '0.7', '--binding'], /--binding need a group-sequential design/],
    [['--p1', '0.3', '--p2', '0.4', '--looks', '3'], /two proportions are fixed designs only/],
    [['--delta', '1', '--sd', '1', '--rho', '0.5', '--looks', '2'], /PROCOVA \(--rho\) is for fixed designs/],
    [['--hr', '0.7', '--looks', '2', '--sided', '1', '--futility', '5'], /the futility bound of look 1 \(5\) is not below its efficacy boundary \(2\.5380\)/],
    [['--hr', '0.7', '--looks', '2', '--sided', '1', '--futility', '5', '--binding'], /the critical value of look 2 cannot be computed: the futility bounds are too extreme for this alpha/],
    [['--hr', '0.7', '--looks', '3', '--sided', '1', '--spending', 'classical-pocock', '--futility', '2.4,2.4', '--binding'], /the futility bound of look 1 \(2\.4\) is not below its efficacy boundary/],
    [['--delta', '0.000001', '--sd', '1', '--looks', '3'], /sample-size \(group-sequential\): no total n between 4 and 10,000,000 gives the t test power 0\.8/],
    [['--delta', '0.5', '--sd', '1', '--rho', '0.5', '--covariates', '5', '--n', '4'], /PROCOVA with 5 covariates leaves -3 residual degrees of freedom at --n 4/],
    [['--hr', '0.7', '--allocation', '0'], /--allocation: expected a value between 0.01 and 100, found 0/],
    [['--hr', '0.7', '--information', '1x'], /expected information rates as comma-separated decimal numbers/],
  ])('sample-size %j', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
