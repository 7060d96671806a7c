#!/usr/bin/env node
// The executable only loads the compiled CLI (built by `npm run build`, run by `npm ci` via `prepare`).
import { finalExitCode, guardStandardStreams, runCli } from '../dist/cli/index.js';

// `vtrial ... | head`: a closed pipe ends the output quietly instead of with a stack trace.
guardStandardStreams();
// A failed write to standard output (a full disk) reported meanwhile turns success into exit 1.
process.exitCode = finalExitCode(await runCli(process.argv));
