/** Visit schedules: names, days and analysis visit numbers. */
import type { Visit } from './trial-model.js';

export function visitName(day: number): string {
  if (day === 0) return 'Baseline';
  return day % 7 === 0 ? `Week ${day / 7}` : `Day ${day}`;
}

export function makeVisit(day: number): Visit {
  return { name: visitName(day), day, avisitn: day % 7 === 0 ? day / 7 : day };
}

/** Days from a schedule: every `every` days up to `until`, or an explicit list; baseline (day 0) always. */
export function scheduleDays(spec: { every_days: number; until_day?: number } | { days: number[] }, durationDays: number): number[] {
  const days = 'days' in spec ? [...spec.days] : [];
  if (!('days' in spec)) {
    const until = spec.until_day ?? durationDays;
    for (let k = 1; k * spec.every_days <= until + 1e-9; k++) days.push(Math.round(k * spec.every_days * 1e9) / 1e9);
  }
  return [...new Set([0, ...days])].sort((a, b) => a - b);
}
