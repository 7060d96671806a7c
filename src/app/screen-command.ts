/**
 * `vtrial screen`: screens twins of a protocol's cohort until the enrolment target is met or
 * the screening cap is reached, and returns the CONSORT-style flow.
 */
import { loadProtocol } from '../io/load-specs.js';
import { overLimit, resolveLimits } from '../spec/limits.js';
import { explainShortfall, screenUntilTarget } from '../screening/screen-until-target.js';
import type { ScreeningFlow } from '../screening/screening-tally.js';
import { EnrolmentShortfall } from '../screening/enrolment-shortfall.js';
import { UsageError } from '../errors/usage-error.js';

export interface ScreenCommandOptions {
  protocolFile: string;
  cohortFile?: string;
  seed: number;
  replicate: number;
  /** Overrides the protocol's enrolment.target. */
  target?: number;
  /** Overrides the protocol's enrolment.max_screened. */
  maxScreened?: number;
}

export interface ScreenCommandResult extends ScreeningFlow {
  protocol: string;
  cohort: string;
  seed: number;
  replicate: number;
}

export function screenCommand(o: ScreenCommandOptions): ScreenCommandResult {
  const p = loadProtocol(o.protocolFile, o.cohortFile);
  const target = o.target ?? p.spec.enrolment.target;
  const maxScreened = o.maxScreened ?? p.spec.enrolment.max_screened;
  // The flags are held to the protocol's size limits, like the values they replace.
  const limits = resolveLimits(p.spec.limits);
  if (target > limits.max_enrolled) throw new UsageError(`--target: ${overLimit('max_enrolled', limits, target)}`);
  if (maxScreened > limits.max_screened) throw new UsageError(`--max-screened: ${overLimit('max_screened', limits, maxScreened)}`);
  const { flow } = screenUntilTarget(p.cohort.model, p.criteria, { seed: o.seed, replicate: o.replicate, target, maxScreened });
  const result = { protocol: p.file, cohort: p.cohort.file, seed: o.seed, replicate: o.replicate, ...flow };
  if (!flow.targetReached) throw new EnrolmentShortfall(explainShortfall(flow), flow);
  return result;
}
