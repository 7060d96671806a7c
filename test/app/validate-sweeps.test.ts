/**
 * `vtrial validate` checks a protocol's sweeps: section as `vtrial sweep` would: its values and
 * every point's protocol, all problems at once (exit 2), so a design file that validates sweeps.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/app/validate-command.js';
import { REPO } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

const power = readFileSync(join(REPO, 'test/fixtures/protocols/power.yaml'), 'utf8').replace('cohort: cohort.yaml', `cohort: ${JSON.stringify(join(REPO, 'test/fixtures/protocols/cohort.yaml'))}`);

function file(name: string, sweeps: string): string {
  const f = join(tempDir(), name);
  writeFileSync(f, `${power}sweeps:\n${sweeps}`);
  return f;
}

describe('validate: the sweeps: section', () => {
  it('accepts a sweep whose every point is a valid protocol', () => {
    expect(validateCommand([file('good.yaml', '  vary:\n    enrolment.target: 32:64:32\n  replicates: 10\n')])[0]!.ok).toBe(true);
  });
  it('names every bad point and path at once', () => {
    const [r] = validateCommand([file('bad.yaml', '  vary:\n    enrolment.target: [32, -5]\n    enrolment.nonsense: [1]\n')]);
    expect(r!.ok).toBe(false);
    const text = r!.problems.join('\n');
    expect(text).toMatch(/point 1 \(enrolment\.target=32, enrolment\.nonsense=1\): unknown key/);
    expect(text).toMatch(/point 2 \(enrolment\.target=-5, enrolment\.nonsense=1\): .*expected a whole number >= 1, found -5/);
  });
  it('a prototype key in a path is refused, not followed', () => {
    const [r] = validateCommand([file('proto.yaml', '  vary:\n    enrolment.__proto__.x: [1]\n')]);
    expect(r!.ok).toBe(false);
    expect(r!.problems.join('\n')).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
