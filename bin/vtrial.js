#!/usr/bin/env node
// The executable only loads the compiled CLI (built by `npm run build`, run by `npm ci` via `prepare`).
import { runCli } from '../dist/cli/index.js';

process.exitCode = await runCli(process.argv);
