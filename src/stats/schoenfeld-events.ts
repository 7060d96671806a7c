/**
 * Schoenfeld's number of events for a log-rank test with power 1 - beta at two-sided level
 * alpha: (z_{1-alpha/2} + z_{1-beta})^2 / (r (1 - r) log(HR)^2), r = a / (1 + a) the share
 * allocated to the active arm (a = active : control). 1:1 gives 4 (z + z)^2 / log(HR)^2.
 *
 * @example schoenfeldEvents({ hazardRatio: 0.7, alpha: 0.05, power: 0.8 }) // 246.787, as rpact's eventsFixed
 */
import { qnorm } from './distributions.js';

export function schoenfeldEvents(o: { hazardRatio: number; alpha: number; power: number; allocation?: number }): number {
  const a = o.allocation ?? 1;
  const r = a / (1 + a);
  return (qnorm(1 - o.alpha / 2) + qnorm(o.power)) ** 2 / (r * (1 - r) * Math.log(o.hazardRatio) ** 2);
}
