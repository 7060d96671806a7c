/** Failures the CLI maps to documented exit codes (see README "Exit codes"). */
import type { ScreeningFlow } from '../screening/screening-tally.js';

/** Bad command-line usage: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The enrolment target was not reached within the screening cap: exit code 3. */
export class EnrolmentShortfall extends Error {
  override name = 'EnrolmentShortfall';
  constructor(
    message: string,
    readonly flow: ScreeningFlow,
  ) {
    super(message);
  }
}

export const EXIT = { ok: 0, runtime: 1, usage: 2, shortfall: 3 } as const;
