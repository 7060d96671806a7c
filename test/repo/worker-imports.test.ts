/**
 * Worker threads compile plain data and simulate: they never load zod (about 10 MB of memory and
 * 0.4 s of start-up per worker). This test follows the runtime imports (not `import type`) of the
 * worker entry through src/ and fails when one reaches zod.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../adversarial/harness.js';

function runtimeImports(entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  const visit = (file: string, chain: string[]): void => {
    if (chains.has(file)) return;
    chains.set(file, chain);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) {
        chains.set(`package:${spec}`, [...chain, relative(REPO, file)]);
        continue;
      }
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (existsSync(target)) visit(target, [...chain, relative(REPO, file)]);
    }
  };
  visit(entry, []);
  return chains;
}

describe('what a worker thread loads', () => {
  it('the worker entry reaches no zod through runtime imports', () => {
    const chains = runtimeImports(join(REPO, 'src/replicates/worker.ts'));
    expect(chains.get('package:zod'), `zod is reached through ${chains.get('package:zod')?.join(' -> ')}`).toBeUndefined();
    // The walk sees the simulation (a test of the test).
    expect([...chains.keys()].some((f) => f.endsWith('src/trial/simulate-arm.ts'))).toBe(true);
  });
});
