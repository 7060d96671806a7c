/**
 * The points of a sweep: the cartesian product of the varied paths' values, in a stable order
 * (the first path varies slowest, as nested loops in the order given), each with a name that
 * depends only on its values, so a grid that grows keeps its existing points' folders (resume).
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors/usage-error.js';
import { MAX_POINTS, type SweepValue, type Vary } from './vary.js';

export interface SweepPoint {
  /** 1-based position in the grid. */
  index: number;
  /** One value per varied path, in the order of the paths. */
  values: SweepValue[];
  /** Folder name below points/: p- and 12 hex digits of SHA-256 of the paths and values. */
  id: string;
  /** `enrolment.target=200, cohort=cohorts/t2d.yaml`, for messages and progress. */
  label: string;
}

export function pointId(varies: readonly Vary[], values: readonly SweepValue[]): string {
  const text = JSON.stringify(varies.map((v, i) => [v.path, values[i]]));
  return `p-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}

export const pointLabel = (varies: readonly Vary[], values: readonly SweepValue[]): string => varies.map((v, i) => `${v.path}=${String(values[i])}`).join(', ');

export function sweepGrid(varies: readonly Vary[]): SweepPoint[] {
  const size = varies.reduce((n, v) => n * v.values.length, 1);
  if (size > MAX_POINTS) throw new UsageError(`the sweep has ${size.toLocaleString('en-US')} points (${varies.map((v) => v.values.length).join(' x ')}), more than the limit of ${MAX_POINTS.toLocaleString('en-US')}`);
  const points: SweepPoint[] = [];
  const walk = (d: number, values: SweepValue[]): void => {
    if (d === varies.length) {
      points.push({ index: points.length + 1, values, id: pointId(varies, values), label: pointLabel(varies, values) });
      return;
    }
    for (const v of varies[d]!.values) walk(d + 1, [...values, v]);
  };
  walk(0, []);
  return points;
}
