/**
 * Parameter codes (PARAMCD) are assigned once, by the compiled model, and are unique: two
 * endpoints whose ids share their first 8 characters never mix their rows in an analysis.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { runCommand } from '../../src/app/run-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';

const dir = tempDir();
copyFileSync('test/fixtures/protocols/cohort.yaml', join(dir, 'cohort.yaml'));

const HEAD = `cohort: cohort.yaml
enrolment: { target: 300 }
arms:
  - { id: placebo, role: control, treatment: { type: placebo } }
  - { id: active, role: active, treatment: { type: drug, dose: 10, route: iv_bolus, interval_days: 7 } }
study: { duration_days: 365 }
visits: { days: [182, 365] }
pk: { compartments: 1, cl: { value: 1 }, v: { value: 10 } }
`;
const tte = (id: string, hr: number, extra = '') =>
  `  - { id: ${id}, type: time_to_event${extra}, baseline_hazard: { distribution: exponential, median_days: 200 }, hazard_ratio: { active: ${hr} } }`;
const TTE_A = tte('survival_a', 0.5);
const TTE_B = (extra = '') => tte('survival_b', 1.0, extra);

function protocol(name: string, body: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\n${HEAD}${body}`);
  return file;
}
function specError(file: string): SpecError {
  try {
    loadProtocol(file);
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error(`${file} was accepted`);
}
async function estimates(file: string, out: string): Promise<Map<string, number | null>> {
  const r = await runCommand({ protocolFile: file, seed: 5, out: join(dir, out), force: false });
  return new Map(r.efficacy.map((e) => [e.endpoint, e.estimate]));
}

describe('PARAMCD', () => {
  it('two time-to-event endpoints whose ids share 8 characters are a spec error naming both', () => {
    const err = specError(protocol('tte-clash', `endpoints:\n${TTE_A}\n${TTE_B()}\n`));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.path).toEqual(['endpoints', 1, 'id']);
    expect(err.issues[0]!.line).toBe(12);
    expect(err.issues[0]!.message).toMatch(/"survival_b" would have the parameter code SURVIVAL of endpoint "survival_a".*paramcd/);
  });

  it('two biomarkers whose ids share 8 characters are a spec error naming both', () => {
    const body = `biomarkers:\n  hba1c_local: { baseline: y0 }\n  hba1c_localised: { baseline: y0 }\n`;
    const err = specError(protocol('bm-clash', body));
    expect(err.issues.map((i) => i.path)).toEqual([['biomarkers', 'hba1c_localised']]);
    expect(err.issues[0]!.message).toMatch(/^biomarker "hba1c_localised" would have the parameter code HBA1C_LO of biomarker "hba1c_local"/);
  });

  it('an explicit paramcd that repeats another code is reported at the paramcd', () => {
    const err = specError(protocol('explicit-clash', `endpoints:\n${TTE_A}\n${TTE_B(', paramcd: SURVIVAL')}\n`));
    expect(err.issues.map((i) => i.path)).toEqual([['endpoints', 1, 'paramcd']]);
  });

  it('a paramcd must be 1 to 8 capital letters, digits or _', () => {
    const err = specError(protocol('bad-code', `endpoints:\n${TTE_A}\n${TTE_B(', paramcd: survb_toolong')}\n`));
    expect(err.issues[0]!.message).toMatch(/expected a parameter code of 1 to 8 capital letters/);
  });

  it('with distinct codes, each time-to-event endpoint is estimated on its own rows: equal to the endpoint analysed alone', async () => {
    const plan = (ids: string[]) => `analysis:\n  primary: [${ids.map((e) => `{ endpoint: ${e}, method: cox }`).join(', ')}]\n`;
    const both = await estimates(protocol('tte-both', `endpoints:\n${TTE_A}\n${TTE_B(', paramcd: SURVB')}\n${plan(['survival_a', 'survival_b'])}`), 'both');
    const a = await estimates(protocol('tte-a', `endpoints:\n${TTE_A}\n${plan(['survival_a'])}`), 'a');
    const b = await estimates(protocol('tte-b', `endpoints:\n${TTE_B()}\n${plan(['survival_b'])}`), 'b');
    expect(both.get('survival_a')).toBe(a.get('survival_a'));
    expect(both.get('survival_b')).toBe(b.get('survival_b'));
    // The two hazard ratios (0.5 and 1) are told apart.
    expect(both.get('survival_a')!).toBeLessThan(0.75);
    expect(both.get('survival_b')!).toBeGreaterThan(0.75);
  });

  it('vtrial analyze finds the rows by the code the compiled model assigns', async () => {
    const file = join(dir, 'tte-both.yaml');
    const r = await analyzeCommand({ dir: join(dir, 'both'), protocolFile: file, out: join(dir, 'both-analysed') });
    const run = await estimates(file, 'both-again');
    expect(new Map(r.efficacy.map((e) => [e.endpoint, e.estimate]))).toEqual(run);
  });

  it('with distinct codes, each biomarker endpoint is estimated on its own rows: equal to the biomarker analysed alone', async () => {
    const local = `  hba1c_local: { baseline: y0, residual_sd: 0.2, drug_effect: { driver: cavg_ss, emax: -1, ec50: 0.5 } }`;
    const localised = `  hba1c_localised: { paramcd: HBA1CLZ, baseline: 2 * y0, residual_sd: 0.2 }`;
    const ep = (b: string) => `  - { id: ${b}_chg, type: continuous, biomarker: ${b}, visit: 182 }`;
    const both = await estimates(protocol('bm-both', `biomarkers:\n${local}\n${localised}\nendpoints:\n${ep('hba1c_local')}\n${ep('hba1c_localised')}\n`), 'bm-both');
    const a = await estimates(protocol('bm-a', `biomarkers:\n${local}\nendpoints:\n${ep('hba1c_local')}\n`), 'bm-a');
    const b = await estimates(protocol('bm-b', `biomarkers:\n${localised}\nendpoints:\n${ep('hba1c_localised')}\n`), 'bm-b');
    expect(both.get('hba1c_local_chg')).toBe(a.get('hba1c_local_chg'));
    expect(both.get('hba1c_localised_chg')).toBe(b.get('hba1c_localised_chg'));
    expect(both.get('hba1c_local_chg')).not.toBe(both.get('hba1c_localised_chg'));
  });
});
