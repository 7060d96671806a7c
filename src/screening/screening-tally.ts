/**
 * Counts for a CONSORT-style screening flow: screened, excluded by each criterion (first failed,
 * and any failure), eligible, enrolled.
 */
import type { Row } from '../expr/compile.js';
import { SimulationError } from '../errors/simulation-error.js';
import type { Criterion } from './criteria.js';

export interface CriterionCount {
  id: string;
  kind: 'inclusion' | 'exclusion';
  text: string;
  /** Twins for whom this was the first criterion failed (CONSORT exclusion reason). */
  excluded: number;
  /** Twins failing this criterion at all (a twin may fail several). */
  failing: number;
}

export interface ScreeningFlow {
  screened: number;
  eligible: number;
  excluded: number;
  enrolled: number;
  target: number;
  maxScreened: number | null;
  targetReached: boolean;
  /** Twins screened until the target-th eligible twin was found (null if it was not). */
  screenedToTarget: number | null;
  screenFailureRate: number;
  /** screened / eligible: twins to screen per enrolled twin. */
  screenedPerEnrolled: number | null;
  criteria: CriterionCount[];
}

export interface TwinScreening {
  /** Index of the first failed criterion, or -1 if eligible. */
  firstFailed: number;
  /** Per criterion: did the twin fail it. */
  fails: boolean[];
}

/** `twin` (replicate index and the twin's number) names the twin in a SimulationError from a criterion. */
export function screenTwin(criteria: readonly Criterion[], row: Row, twin?: { replicate: number; patient: number }): TwinScreening {
  const n = criteria.length;
  const fails = new Array<boolean>(n);
  let first = -1;
  try {
    for (let i = 0; i < n; i++) {
      const f = criteria[i]!.fails(row);
      fails[i] = f;
      if (f && first < 0) first = i;
    }
  } catch (err) {
    if (err instanceof SimulationError && twin) throw err.forTwin(twin.replicate, String(twin.patient + 1));
    throw err;
  }
  return { firstFailed: first, fails };
}

export class ScreeningTally {
  private screened = 0;
  private eligible = 0;
  private enrolled = 0;
  private screenedToTarget: number | null = null;
  private readonly excluded: number[];
  private readonly failing: number[];

  constructor(
    private readonly criteria: readonly Criterion[],
    private readonly target: number,
    private readonly maxScreened: number | null,
  ) {
    this.excluded = criteria.map(() => 0);
    this.failing = criteria.map(() => 0);
  }

  /** Records one screened twin; returns whether it is enrolled (eligible and within target). */
  add(s: TwinScreening): boolean {
    this.screened++;
    for (let i = 0; i < s.fails.length; i++) if (s.fails[i]) this.failing[i]!++;
    if (s.firstFailed >= 0) {
      this.excluded[s.firstFailed]!++;
      return false;
    }
    this.eligible++;
    if (this.enrolled >= this.target) return false;
    this.enrolled++;
    if (this.enrolled === this.target) this.screenedToTarget = this.screened;
    return true;
  }

  get done(): boolean {
    return this.enrolled >= this.target;
  }

  flow(): ScreeningFlow {
    return {
      screened: this.screened,
      eligible: this.eligible,
      excluded: this.screened - this.eligible,
      enrolled: this.enrolled,
      target: this.target,
      maxScreened: this.maxScreened,
      targetReached: this.enrolled >= this.target,
      screenedToTarget: this.screenedToTarget,
      screenFailureRate: this.screened === 0 ? 0 : (this.screened - this.eligible) / this.screened,
      screenedPerEnrolled: this.eligible === 0 ? null : this.screened / this.eligible,
      criteria: this.criteria.map((c, i) => ({ id: c.id, kind: c.kind, text: c.text, excluded: this.excluded[i]!, failing: this.failing[i]! })),
    };
  }
}

