/** The exit codes the CLI maps failures to (see README "Exit codes"); 128 + n after signal n. */
export const EXIT = { ok: 0, runtime: 1, usage: 2, shortfall: 3, condition: 4 } as const;
