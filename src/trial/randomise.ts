/**
 * Permuted-block randomisation within strata. Each stratum has its own block sequence (stream
 * "randomisation/<stratum>" at trial level); each block holds every arm `allocation x
 * block_size / sum(allocation)` times in a random order (Fisher-Yates). Patients take the next
 * slot of their stratum's sequence in enrolment order, so the allocation ratio is exact within
 * every complete block of every stratum.
 */
import { createStream, TRIAL_LEVEL, type Source } from '../random/stream.js';

export interface RandomisationPlan {
  /** Arm index per allocation unit, e.g. [0, 1, 1] for 1:2. */
  unit: readonly number[];
  blockSize: number;
}

export function planFor(allocations: readonly number[], blockSize: number): RandomisationPlan {
  const unit = allocations.flatMap((a, arm) => Array<number>(a).fill(arm));
  return { unit, blockSize };
}

export function shuffledBlock(plan: RandomisationPlan, source: Source): number[] {
  const copies = plan.blockSize / plan.unit.length;
  const block: number[] = [];
  for (let c = 0; c < copies; c++) block.push(...plan.unit);
  for (let i = block.length - 1; i > 0; i--) {
    const j = Math.floor(source() * (i + 1));
    [block[i], block[j]] = [block[j]!, block[i]!];
  }
  return block;
}

/** Hands out arm indices stratum by stratum. */
export class Randomiser {
  private readonly strata = new Map<string, { source: Source; block: number[]; next: number }>();

  constructor(
    private readonly plan: RandomisationPlan,
    private readonly seed: number,
    private readonly replicate: number,
  ) {}

  assign(stratum: string): { arm: number; block: number } {
    let s = this.strata.get(stratum);
    if (!s) {
      s = { source: createStream({ seed: this.seed, replicate: this.replicate, patient: TRIAL_LEVEL, purpose: `randomisation/${stratum}` }), block: [], next: 0 };
      this.strata.set(stratum, s);
    }
    const pos = s.next % this.plan.blockSize;
    if (pos === 0) s.block = shuffledBlock(this.plan, s.source);
    s.next++;
    return { arm: s.block[pos]!, block: Math.floor((s.next - 1) / this.plan.blockSize) + 1 };
  }
}
