import { describe, expect, it } from 'vitest';
import { sweepGrid } from '../../src/design/grid.js';
import { getAtPath, setAtPath } from '../../src/design/set-path.js';
import { pointProtocol } from '../../src/design/point-protocol.js';
import { parseVary } from '../../src/design/vary.js';

describe('sweepGrid: the cartesian product in a stable order', () => {
  const varies = [parseVary('enrolment.target=100,200'), parseVary('biomarkers.y.drug_effect.emax=0.3,0.6,0.9')];
  const grid = sweepGrid(varies);
  it('the first path varies slowest; indices are 1-based', () => {
    expect(grid.map((p) => p.values)).toEqual([[100, 0.3], [100, 0.6], [100, 0.9], [200, 0.3], [200, 0.6], [200, 0.9]]);
    expect(grid.map((p) => p.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(grid[4]!.label).toBe('enrolment.target=200, biomarkers.y.drug_effect.emax=0.6');
  });
  it("a point's folder id depends only on its paths and values (a grown grid keeps it)", () => {
    const grown = sweepGrid([parseVary('enrolment.target=100,200,300'), parseVary('biomarkers.y.drug_effect.emax=0.3,0.6,0.9')]);
    expect(grid.map((p) => p.id)).toEqual(grown.slice(0, 6).map((p) => p.id));
    expect(new Set(grown.map((p) => p.id)).size).toBe(9);
    expect(grid[0]!.id).toMatch(/^p-[0-9a-f]{12}$/);
    // The value 100 (number) and "100" (text) are different points.
    expect(sweepGrid([{ path: 'a', keys: ['a'], values: [100, '100'] }]).map((p) => p.id)).toHaveLength(2);
    expect(new Set(sweepGrid([{ path: 'a', keys: ['a'], values: [100, '100'] }]).map((p) => p.id)).size).toBe(2);
  });
  it('refuses a grid above the limit of points', () => expect(() => sweepGrid([parseVary('a=1:100:1'), parseVary('b=1:101:1')])).toThrow('10,100 points (100 x 101), more than the limit of 10,000'));
});

describe('setAtPath: own properties only, never a prototype', () => {
  const protocol = () => ({ enrolment: { target: 64, inclusion: [{ id: 'a', expr: 'age >= 18' }] }, biomarkers: { y: { residual_sd: 1 } } }) as Record<string, unknown>;
  it('sets values in sections and lists', () => {
    const p = protocol();
    expect(setAtPath(p, ['enrolment', 'target'], 128)).toBeNull();
    expect(setAtPath(p, ['enrolment', 'inclusion', 0, 'expr'], 'age >= 40')).toBeNull();
    expect(getAtPath(p, ['enrolment', 'target'])).toBe(128);
    expect(getAtPath(p, ['enrolment', 'inclusion', 0, 'expr'])).toBe('age >= 40');
  });
  it('creates a missing section, not a missing list', () => {
    const p = protocol();
    expect(setAtPath(p, ['limits', 'max_enrolled'], 10)).toBeNull();
    expect(p.limits).toEqual({ max_enrolled: 10 });
    expect(setAtPath(p, ['endpoints', 0, 'visit'], 'x')).toBe('no list at endpoints in the protocol');
  });
  it('names what is wrong with a path', () => {
    const p = protocol();
    expect(setAtPath(p, ['enrolment', 'inclusion', 3, 'expr'], 'x')).toBe('enrolment.inclusion is a list of 1; expected an index 0 to 0, found 3');
    expect(setAtPath(p, ['enrolment', 'inclusion', 'first'], 'x')).toBe('enrolment.inclusion is a list: "first" is not an index');
    expect(setAtPath(p, ['enrolment', 'target', 'value'], 1)).toBe('enrolment.target is a value (64), not a section with "value"');
  });
  it('"constructor", "prototype" and "toString" become own data (the schema refuses unknown keys); Object.prototype is untouched', () => {
    const p = protocol();
    expect(setAtPath(p, ['constructor', 'prototype', 'polluted'], 1)).toBeNull();
    expect(setAtPath(p, ['biomarkers', 'toString'], 'x')).toBeNull();
    expect(Object.hasOwn(p, 'constructor')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof {}.toString).toBe('function');
  });
  it('works on null-prototype objects', () => {
    const p = Object.create(null) as Record<string, unknown>;
    p.enrolment = Object.create(null);
    expect(setAtPath(p, ['enrolment', 'target'], 5)).toBeNull();
    expect(getAtPath(p, ['enrolment', 'target'])).toBe(5);
  });
});

describe('pointProtocol', () => {
  const raw = { enrolment: { target: 100, max_screened: 1000 }, biomarkers: { y: { residual_sd: 1 } } };
  it('sets each varied path on a copy; a changed target scales an explicit screening cap', () => {
    const varies = [parseVary('enrolment.target=100,250')];
    const [p100, p250] = sweepGrid(varies).map((pt) => pointProtocol(raw, varies, pt));
    expect(p100!.data).toEqual(raw);
    expect(p250!.data).toEqual({ ...raw, enrolment: { target: 250, max_screened: 2500 } });
    expect(raw.enrolment.target).toBe(100);
  });
  it('a varied cap is kept as varied', () => {
    const varies = [parseVary('enrolment.target=200'), parseVary('enrolment.max_screened=300')];
    expect(pointProtocol(raw, varies, sweepGrid(varies)[0]!).data.enrolment).toEqual({ target: 200, max_screened: 300 });
  });
  it('problems name the path', () => {
    const varies = [parseVary('endpoints.0.visit=x')];
    expect(pointProtocol(raw, varies, sweepGrid(varies)[0]!).problems).toEqual([{ path: 'endpoints.0.visit', message: 'no list at endpoints in the protocol' }]);
  });
});
