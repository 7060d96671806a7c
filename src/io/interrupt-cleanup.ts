/**
 * Undo actions for writes in progress (staging directories, partial files). They run when the
 * process is interrupted (SIGINT, SIGTERM, SIGHUP: the process then exits with 128 + the signal
 * number, 130 / 143 / 129) and when it exits with a write still open. While no write is open the
 * default signal behaviour is untouched.
 */
const actions = new Set<() => void>();
const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
let installed = false;

function runAll(): void {
  for (const a of [...actions]) {
    actions.delete(a);
    try {
      a();
    } catch {
      // Cleanup is best effort: a failing undo must not hide the others.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  process.stderr.write(`vtrial: interrupted (${signal}); nothing was published, earlier results are unchanged\n`);
  process.exit(EXIT_CODES[signal] ?? 1);
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of Object.keys(EXIT_CODES) as NodeJS.Signals[]) process.on(s, onSignal);
  process.on('exit', runAll);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of Object.keys(EXIT_CODES) as NodeJS.Signals[]) process.off(s, onSignal);
  process.off('exit', runAll);
}

/** Registers an undo action; call the returned function once the write is committed or aborted. */
export function onInterrupt(action: () => void): () => void {
  actions.add(action);
  install();
  return () => {
    actions.delete(action);
    if (actions.size === 0) uninstall();
  };
}
