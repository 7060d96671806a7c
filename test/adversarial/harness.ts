/**
 * The adversarial suite's harness: runs the real executable (bin/vtrial.js on the compiled CLI) in a
 * child process with a time limit, and checks what a careful tester checks on every case — the exit
 * code, no stack trace on either stream, no hang, and that no file that existed before was lost or
 * changed.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = join(REPO, 'bin', 'vtrial.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the time limit ended the process. */
  timedOut: boolean;
  ms: number;
}

export interface CliOptions {
  cwd?: string;
  /** Milliseconds before the process is killed (a hang is a failure). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** Called with the child once it runs (e.g. to send a signal after some output). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

/** Runs `node bin/vtrial.js ...args`; never rejects. Output is capped at 4 MB per stream. */
export function vtrial(args: readonly string[], opts: CliOptions = {}): Promise<CliRun> {
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const cap = 4 << 20;
    child.stdout.on('data', (b: Buffer) => (stdout.length < cap ? (stdout += b.toString('utf8')) : undefined));
    child.stderr.on('data', (b: Buffer) => (stderr.length < cap ? (stderr += b.toString('utf8')) : undefined));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 30_000);
    opts.onSpawn?.(child);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, timedOut, ms: performance.now() - t0 });
    });
  });
}

/** A JavaScript stack frame ("    at fn (file:line:col)") or Node's fatal-error banners. */
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$|FATAL ERROR|Uncaught|node:internal|ERR_WORKER_OUT_OF_MEMORY/m;

/** Asserts the exit code, that the process ended by itself in time, and that no stack trace leaked. */
export function expectClean(r: CliRun, code: number, what = ''): void {
  const context = `${what}\n--- exit ${r.code} signal ${r.signal}\n--- stderr\n${r.stderr.slice(0, 2000)}\n--- stdout\n${r.stdout.slice(0, 1000)}`;
  expect(r.timedOut, `timed out: ${context}`).toBe(false);
  expect(r.code, context).toBe(code);
  expect(STACK.test(r.stderr), `stack trace on stderr: ${context}`).toBe(false);
  expect(STACK.test(r.stdout), `stack trace on stdout: ${context}`).toBe(false);
}

/** Every file below `dir` (hidden ones too) with the SHA-256 of its content; folders end in '/'. */
export function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (statSync(p).isDirectory()) {
        out.set(`${rel}/`, '');
        walk(p);
      } else out.set(rel, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Asserts that every file and folder of `before` is still in `dir`, byte for byte. */
export function expectPreserved(before: Map<string, string>, dir: string, what = ''): void {
  const now = snapshotTree(dir);
  const lost = [...before].filter(([p, h]) => now.get(p) !== h).map(([p]) => p);
  expect(lost, `${what}: files lost or changed`).toEqual([]);
}

/** Names in `dir` that look like leftovers of an interrupted write (staging files or folders). */
export function stagingLeftovers(dir: string): string[] {
  return [...snapshotTree(dir).keys()].filter((p) => /(^|\/)\.[^/]*(partial|staging|tmp)[^/]*/i.test(p));
}
