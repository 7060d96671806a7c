#!/usr/bin/env node
// The executable only loads the compiled CLI (built by `npm run build`, run by `npm ci` via `prepare`).
import { guardStandardStreams, runCli } from '../dist/cli/index.js';

// `vtrial ... | head`: a closed pipe ends the output quietly instead of with a stack trace.
guardStandardStreams();
process.exitCode = await runCli(process.argv);
