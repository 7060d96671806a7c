import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cohortCommand } from '../../src/app/cohort-command.js';
import { EnrolmentShortfall } from '../../src/screening/enrolment-shortfall.js';
import { screenCommand } from '../../src/app/screen-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { screenUntilTarget } from '../../src/screening/screen-until-target.js';
import { tempDir } from '../helpers.js';

const PROTOCOL = 'protocols/t2d-weekly-injectable.yaml';

// The protocol's criteria written again, independently, as plain JavaScript over CSV rows.
type Twin = Record<string, number | string>;
const direct: [string, (t: Twin) => boolean][] = [
  ['adult', (t) => !((t.age as number) >= 18)],
  ['hba1c_range', (t) => !((t.hba1c as number) >= 7 && (t.hba1c as number) <= 10)],
  ['on_metformin', (t) => t.metformin === 1],
  ['severe_renal', (t) => (t.egfr as number) < 30],
  ['extreme_bmi', (t) => (t.bmi as number) >= 50],
];

describe('screening counts match a direct count over the written twins', () => {
  it('per criterion (any failure and first failed), eligible, enrolled', async () => {
    const out = join(tempDir(), 'screened.csv');
    const result = await cohortCommand({ cohortFile: 'cohorts/t2d.yaml', protocolFile: PROTOCOL, n: 5000, seed: 11, replicate: 0, out, format: 'csv' });
    const rows = parse(readFileSync(out), { columns: true, cast: true }) as Twin[];
    const flow = result.screening!;
    expect(flow.screened).toBe(5000);
    for (const [id, fails] of direct) {
      const c = flow.criteria.find((x) => x.id === id)!;
      expect(c.failing).toBe(rows.filter(fails).length);
      const firstFailedHere = rows.filter((t) => fails(t) && direct.slice(0, direct.findIndex(([d]) => d === id)).every(([, f]) => !f(t)));
      expect(c.excluded).toBe(firstFailedHere.length);
      expect(rows.filter((t) => t[`fails_${id}`] === 1).length).toBe(c.failing);
    }
    const eligible = rows.filter((t) => direct.every(([, f]) => !f(t)));
    expect(flow.eligible).toBe(eligible.length);
    expect(rows.filter((t) => t.eligible === 'Y').length).toBe(eligible.length);
    // Enrolled: exactly the first `target` eligible twins, in order.
    const enrolled = rows.filter((t) => t.enrolled === 'Y').map((t) => t.twin);
    expect(enrolled).toEqual(eligible.slice(0, 388).map((t) => t.twin));
    expect(flow.screenedToTarget).toBe(eligible[387]!.twin);
    // The first failed criterion is named per twin.
    const someExcluded = rows.find((t) => t.eligible === 'N')!;
    expect(someExcluded.first_failed).toBe(direct.find(([, f]) => f(someExcluded))![0]);
    expect(flow.screenFailureRate).toBeCloseTo((5000 - eligible.length) / 5000, 12);
  });
});

describe('screening until the target', () => {
  it('stops at the target-th eligible twin and enrols the first eligible ones', () => {
    const p = loadProtocol(PROTOCOL);
    const r = screenUntilTarget(p.cohort.model, p.criteria, { seed: 3, replicate: 0, target: 100, maxScreened: 1000 });
    expect(r.flow.targetReached).toBe(true);
    expect(r.enrolled).toHaveLength(100);
    expect(r.flow.screened).toBe(r.enrolled[99]!.patient + 1);
    expect(r.flow.screenedToTarget).toBe(r.flow.screened);
    expect(r.flow.excluded).toBe(r.flow.criteria.reduce((s, c) => s + c.excluded, 0));
  });
  it('says so plainly and stops when the cap is reached first (never resamples)', () => {
    let err: unknown;
    try {
      screenCommand({ protocolFile: 'test/fixtures/specs/strict.yaml', seed: 1, replicate: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnrolmentShortfall);
    const e = err as EnrolmentShortfall;
    expect(e.flow.screened).toBe(400);
    expect(e.flow.enrolled).toBe(e.flow.eligible);
    expect(e.flow.enrolled).toBeLessThan(50);
    expect(e.message).toMatch(new RegExp(`^enrolment target not reached: ${e.flow.enrolled} of 50 twins enrolled after screening 400 \\(the screening cap\\)\\.`));
    expect(e.message).toMatch(/Most exclusions: old \(/);
    expect(e.message).toMatch(/raise enrolment.max_screened, or relax the criteria/);
  });
});
