/** The enrolment target was not reached within the screening cap (exit code 3). */
import type { ScreeningFlow } from './screening-tally.js';

export class EnrolmentShortfall extends Error {
  override name = 'EnrolmentShortfall';
  constructor(
    message: string,
    readonly flow: ScreeningFlow,
  ) {
    super(message);
  }
}
