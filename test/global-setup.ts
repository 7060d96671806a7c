// Compiles src/ to dist/ once before the tests: bin/vtrial.js (and, later, worker threads)
// run compiled JavaScript, so tests that spawn them must not see a stale build.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
