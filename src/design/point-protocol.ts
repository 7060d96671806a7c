/**
 * The protocol of one sweep point: the protocol as read from its file, with each varied path set
 * to the point's value. Like a scenario that changes the target, a point that changes
 * enrolment.target keeps the protocol's screening ratio (enrolment.max_screened scaled with it)
 * unless it also varies the cap: the cap only stops screening, so results do not depend on it
 * unless it is reached.
 */
import { getAtPath, setAtPath } from './set-path.js';
import type { SweepPoint } from './grid.js';
import type { Vary } from './vary.js';

export interface PointProtocol {
  data: Record<string, unknown>;
  /** Paths that could not be set, as messages naming the path. */
  problems: { path: string; message: string }[];
}

export function pointProtocol(raw: Record<string, unknown>, varies: readonly Vary[], point: SweepPoint): PointProtocol {
  const data = structuredClone(raw);
  const problems: PointProtocol['problems'] = [];
  varies.forEach((v, i) => {
    const problem = setAtPath(data, v.keys, point.values[i]);
    if (problem) problems.push({ path: v.path, message: problem });
  });
  const varied = (p: string) => varies.some((v) => v.path === p);
  const cap = getAtPath(raw, ['enrolment', 'max_screened']);
  const before = getAtPath(raw, ['enrolment', 'target']);
  const after = getAtPath(data, ['enrolment', 'target']);
  if (varied('enrolment.target') && !varied('enrolment.max_screened') && typeof cap === 'number' && typeof before === 'number' && before > 0 && typeof after === 'number' && after !== before) {
    setAtPath(data, ['enrolment', 'max_screened'], Math.ceil((cap * after) / before));
  }
  return { data, problems };
}
