/**
 * Progress of a long command (cohort, run --replicates) on standard error. It must never stall
 * or slow the work, so:
 * - on a terminal of sane width (not TERM=dumb, not CI), an ora spinner whose text is updated at most 10 times a second,
 *   without colour under NO_COLOR / FORCE_COLOR=0 / TERM=dumb, without hiding the cursor or
 *   grabbing stdin (so no signal handler of ours or ora's delays Ctrl-C or SIGTERM);
 * - anywhere else (a pipe, a log file, a terminal reporting 0 columns, where ora would loop
 *   forever computing line wraps), a plain line at most every 30 s, the first after 30 s
 *   (VTRIAL_PROGRESS_INTERVAL_MS changes the interval, for tests);
 * - nothing with --quiet.
 */
import ora, { type Ora } from 'ora';

export interface Progress {
  /** Cheap: may be called as often as the work likes. */
  update(text: string): void;
  stop(): void;
}

export interface ProgressTarget {
  quiet: boolean;
  /** Standard error is a terminal. */
  interactive: boolean;
  /** Its width in columns (0 or undefined when unknown). */
  columns: number | undefined;
  /** Writes one line (plain mode). */
  writeLine: (s: string) => void;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };
const SPINNER_UPDATE_MS = 100;
const PLAIN_INTERVAL_MS = 30_000;
/** Below this a spinner line wraps at once: plain lines instead. */
const MIN_COLUMNS = 20;

export function colourAllowed(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR === undefined && env.FORCE_COLOR !== '0' && env.TERM !== 'dumb';
}

/** A terminal of sane width, not TERM=dumb and not CI (where ora would print its text once and never again). */
export function spinnerAllowed(t: Pick<ProgressTarget, 'interactive' | 'columns'>, env: NodeJS.ProcessEnv): boolean {
  return t.interactive && (t.columns ?? 0) >= MIN_COLUMNS && env.TERM !== 'dumb' && !('CI' in env);
}

export function plainInterval(env: NodeJS.ProcessEnv): number {
  const v = Number(env.VTRIAL_PROGRESS_INTERVAL_MS);
  return env.VTRIAL_PROGRESS_INTERVAL_MS && Number.isFinite(v) && v >= 0 ? v : PLAIN_INTERVAL_MS;
}

export function startProgress(label: string, t: ProgressTarget): Progress {
  if (t.quiet) return NONE;
  const env = t.env ?? process.env;
  const now = t.now ?? (() => performance.now());
  if (spinnerAllowed(t, env)) return spinnerProgress(label, env, now);
  return plainProgress(label, t.writeLine, plainInterval(env), now);
}

function plainProgress(label: string, writeLine: (s: string) => void, interval: number, now: () => number): Progress {
  let last = now();
  return {
    update(text) {
      const t = now();
      if (t - last < interval) return;
      last = t;
      writeLine(`${label}: ${text}`);
    },
    stop: () => undefined,
  };
}

function spinnerProgress(label: string, env: NodeJS.ProcessEnv, now: () => number): Progress {
  const spinner: Ora = ora({ stream: process.stderr, text: label, color: colourAllowed(env) ? 'cyan' : false, hideCursor: false, discardStdin: false }).start();
  let last = -Infinity;
  return {
    update(text) {
      const t = now();
      if (t - last < SPINNER_UPDATE_MS) return;
      last = t;
      // A terminal resized to nothing: ora's line-wrap arithmetic would divide by zero.
      if ((process.stderr.columns ?? 0) < MIN_COLUMNS) return void spinner.stop();
      spinner.text = `${label}: ${text}`;
    },
    stop: () => void spinner.stop(),
  };
}

/** "1h 02m", "1m 10s", "42s" */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** "38.1/s · ETA 1m 10s" for `done` of `total` units of work started at `t0` (ms, same clock as `now`). */
export function rateText(done: number, total: number, t0: number, now: number): string {
  const rate = done / Math.max((now - t0) / 1000, 1e-9);
  return `${rate.toFixed(1)}/s · ETA ${done > 0 ? duration((total - done) / rate) : '?'}`;
}
