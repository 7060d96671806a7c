import { describe, expect, it } from 'vitest';
import { createStream } from '../../src/random/stream.js';
import { planFor, Randomiser, shuffledBlock } from '../../src/trial/randomise.js';
import { runFixture } from './trial-helpers.js';

describe('permuted-block randomisation', () => {
  it('each block holds every arm allocation x block/sum times', () => {
    const plan = planFor([1, 2, 3], 12);
    const src = createStream({ seed: 1, replicate: 0, patient: -1, purpose: 'test' });
    for (let b = 0; b < 200; b++) {
      const block = shuffledBlock(plan, src);
      expect([0, 1, 2].map((a) => block.filter((x) => x === a).length)).toEqual([2, 4, 6]);
    }
  });
  it('the allocation ratio is exact within every complete block of every stratum of a simulated trial', () => {
    const { model, trial } = runFixture('identical-arms');
    const byStratum = new Map<string, number[]>();
    for (const t of trial.enrolled) byStratum.set(t.stratum, [...(byStratum.get(t.stratum) ?? []), t.arm]);
    expect(byStratum.size).toBe(6); // sex x region
    let completeBlocks = 0;
    for (const arms of byStratum.values()) {
      for (let start = 0; start + model.blockSize <= arms.length; start += model.blockSize) {
        const block = arms.slice(start, start + model.blockSize);
        expect(block.filter((a) => a === 0).length).toBe(2);
        expect(block.filter((a) => a === 1).length).toBe(2);
        completeBlocks++;
      }
      // An incomplete last block never over-allocates an arm.
      const rest = arms.slice(arms.length - (arms.length % model.blockSize));
      for (const a of [0, 1]) expect(rest.filter((x) => x === a).length).toBeLessThanOrEqual(2);
    }
    expect(completeBlocks).toBeGreaterThan(60);
  });
  it('uses independent sequences per stratum and per replicate', () => {
    const r = new Randomiser(planFor([1, 1], 4), 5, 0);
    const seq = (s: string) => Array.from({ length: 40 }, () => r.assign(s).arm);
    const a = seq('x');
    const b = seq('y');
    expect(a).not.toEqual(b);
    const r2 = new Randomiser(planFor([1, 1], 4), 5, 1);
    expect(Array.from({ length: 40 }, () => r2.assign('x').arm)).not.toEqual(a);
  });
});
