/**
 * `vtrial sample-size`'s flags checked and turned into a request: which mode the effect flags
 * choose, and the ranges where the quantiles and the non-central t are computed reliably (an
 * alpha of 1e-16 makes 1 - alpha/2 round to 1); anything else is a usage error naming the flag.
 */
import { UsageError } from '../errors/usage-error.js';
import type { SampleSizeEffect, SampleSizeRequest, SequentialRequest } from '../app/sample-size-command.js';
import type { ReportFormat } from './options.js';

export interface SampleSizeOptions {
  delta?: number;
  sd?: number;
  rho?: number;
  deflate: number;
  covariates: number;
  p1?: number;
  p2?: number;
  hr?: number;
  power?: number;
  n?: number;
  events?: number;
  alpha: number;
  sided: '1' | '2';
  allocation: number;
  looks: number;
  information?: number[];
  spending: SequentialRequest['spending'];
  gamma?: number;
  futility?: number[];
  binding?: boolean;
  format: ReportFormat;
}

type Check = readonly [flag: string, value: number | undefined, ok: boolean, expected: string];

function check(checks: readonly Check[]): void {
  for (const [k, v, ok, expected] of checks) {
    if (v === undefined) continue;
    if (!Number.isFinite(v) || !ok) throw new UsageError(`--${k}: expected a value ${expected}, found ${v}`);
  }
}

const given = (o: SampleSizeOptions, ...flags: (keyof SampleSizeOptions)[]) => flags.filter((f) => o[f] !== undefined);

function effectOf(o: SampleSizeOptions): SampleSizeEffect {
  const modes = [given(o, 'delta', 'sd', 'rho'), given(o, 'p1', 'p2'), given(o, 'hr')];
  const chosen = modes.filter((m) => m.length > 0);
  if (chosen.length === 0) throw new UsageError('sample-size: give the effect: --delta and --sd (means), --p1 and --p2 (two proportions) or --hr (hazard ratio)');
  if (chosen.length > 1) throw new UsageError(`sample-size: ${chosen.map((m) => m.map((f) => `--${f}`).join(' ')).join(' and ')} are effects of different modes; give one of means (--delta --sd), proportions (--p1 --p2) or hazard ratio (--hr)`);
  if (modes[0]!.length) {
    if (o.delta === undefined || o.sd === undefined) throw new UsageError(`sample-size: a difference in means needs both --delta and --sd (missing ${o.delta === undefined ? '--delta' : '--sd'})`);
    const effect = Math.abs(o.delta) / o.sd;
    check([
      ['delta', o.delta, o.delta !== 0, 'not 0'],
      ['sd', o.sd, o.sd > 0, '> 0'],
      ['delta', o.delta, !(o.sd > 0) || (Number.isFinite(effect) && effect >= 1e-6 && effect <= 1e6), 'with |delta|/sd between 1e-6 and 1e6'],
      ['rho', o.rho, o.rho === undefined || Math.abs(o.rho) <= 1 - 1e-6, 'between -0.999999 and 0.999999'],
      ['deflate', o.deflate, o.deflate > 0 && o.deflate <= 1, 'in (0, 1]'],
    ]);
    return { kind: 'means', delta: o.delta, sd: o.sd, rho: o.rho, deflate: o.deflate, covariates: o.covariates };
  }
  if (o.deflate !== 1 || o.covariates !== 1) throw new UsageError('sample-size: --deflate and --covariates are PROCOVA options for means (--delta --sd --rho)');
  if (modes[1]!.length) {
    if (o.p1 === undefined || o.p2 === undefined) throw new UsageError(`sample-size: two proportions need both --p1 and --p2 (missing ${o.p1 === undefined ? '--p1' : '--p2'})`);
    check([
      ['p1', o.p1, o.p1 > 0 && o.p1 < 1, 'in (0, 1)'],
      ['p2', o.p2, o.p2 > 0 && o.p2 < 1, 'in (0, 1)'],
      ['p2', o.p2, Math.abs(o.p1 - o.p2) >= 1e-6, 'at least 1e-6 away from --p1'],
    ]);
    return { kind: 'rates', p1: o.p1, p2: o.p2 };
  }
  check([['hr', o.hr, o.hr! > 0 && Math.abs(Math.log(o.hr!)) >= 1e-6 && Math.abs(Math.log(o.hr!)) <= 20, 'above 0 with |log hr| between 1e-6 and 20 (not 1)']]);
  return { kind: 'survival', hazardRatio: o.hr! };
}

export function sampleSizeRequest(o: SampleSizeOptions): SampleSizeRequest {
  const effect = effectOf(o);
  const sided = o.sided === '1' ? 1 : 2;
  const sizes = given(o, 'power', 'n', 'events');
  if (sizes.length > 1) throw new UsageError(`sample-size: give one of --power (solve for the size), --n or --events (give the power), not ${sizes.map((f) => `--${f}`).join(' and ')}`);
  check([
    ['alpha', o.alpha, o.alpha >= 1e-10 && o.alpha <= 0.5, 'between 1e-10 and 0.5'],
    ['power', o.power, o.power! > o.alpha / sided && o.power! <= 1 - 1e-10, `above alpha${sided === 2 ? '/2' : ''} and at most 1 - 1e-10`],
    ['n', o.n, o.n! >= 4 && o.n! <= 2e7, 'between 4 and 20,000,000 patients in both arms'],
    ['events', o.events, o.events! >= 1 && o.events! <= 1e9, 'between 1 and 1e9'],
    ['allocation', o.allocation, o.allocation >= 0.01 && o.allocation <= 100, 'between 0.01 and 100'],
    ['gamma', o.gamma, o.spending === 'kd' ? o.gamma! > 0 && o.gamma! <= 20 : o.gamma! >= -20 && o.gamma! <= 20 && o.gamma !== 0, o.spending === 'kd' ? "(Kim-DeMets' rho) in (0, 20]" : 'between -20 and 20, not 0'],
  ]);
  const target = o.n !== undefined ? { n: o.n } : o.events !== undefined ? { events: o.events } : { power: o.power ?? 0.8 };
  const sequentialFlags = given(o, 'information', 'gamma', 'futility', 'binding');
  if (o.looks === 1) {
    if (sequentialFlags.length) throw new UsageError(`sample-size: ${sequentialFlags.map((f) => `--${f}`).join(', ')} need a group-sequential design (--looks 2 or more)`);
    if (o.spending !== 'of') throw new UsageError('sample-size: --spending needs a group-sequential design (--looks 2 or more)');
    return { effect, alpha: o.alpha, sided, allocation: o.allocation, target };
  }
  if (o.information && o.information.length !== o.looks) throw new UsageError(`--information: expected ${o.looks} rates (one per look, the last 1), found ${o.information.length}`);
  if (o.futility && o.futility.length !== o.looks - 1) throw new UsageError(`--futility: expected ${o.looks - 1} bounds (looks 1 to ${o.looks - 1}), found ${o.futility.length}`);
  if (o.futility && sided === 2) throw new UsageError('--futility: futility bounds are for one-sided designs (--sided 1)');
  if (o.futility?.some((f) => Math.abs(f) > 10)) throw new UsageError(`--futility: expected z-scale bounds between -10 and 10, found ${o.futility.join(',')}`);
  if (o.spending === 'hsd' && o.gamma === undefined) throw new UsageError('--spending hsd: give --gamma (e.g. -4 for a boundary like O\'Brien-Fleming\'s, 1 for one like Pocock\'s)');
  if (o.spending === 'kd' && o.gamma === undefined) throw new UsageError('--spending kd: give --gamma, Kim-DeMets\' rho (e.g. 3 for a boundary like O\'Brien-Fleming\'s, 1 for one like Pocock\'s)');
  if (o.spending !== 'hsd' && o.spending !== 'kd' && o.gamma !== undefined) throw new UsageError('--gamma: only with --spending hsd or kd');
  if (o.binding && !o.futility) throw new UsageError('--binding: give the futility bounds that bind (--futility)');
  return { effect, alpha: o.alpha, sided, allocation: o.allocation, target, sequential: { looks: o.looks, information: o.information, spending: o.spending, gamma: o.gamma, futility: o.futility, binding: o.binding === true } };
}
