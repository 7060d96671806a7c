/**
 * The folder layout shows the layers (../shared/design/layers.md): a file imports only from its own
 * floor or below, so the pure core never reaches up into readers, writers, commands or the CLI.
 * This test reads every import in src/ and fails on one that goes up.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../adversarial/harness.js';

const FLOORS: Record<string, number> = {
  cli: 7,
  app: 6,
  io: 5,
  report: 5,
  replicates: 4,
  design: 4,
  analysis: 3,
  adam: 3,
  trial: 2,
  twins: 2,
  cohort: 1,
  screening: 1,
  pk: 1,
  pd: 1,
  disease: 1,
  events: 1,
  methods: 0,
  stats: 0,
  random: 0,
  expr: 0,
  spec: 0,
  util: 0,
  errors: 0,
  types: 0,
  '.': 0, // src/version.ts
};

/**
 * Upward imports still to be removed, each with the reason it is still there. Keep this list
 * short: an entry is debt, never the way to add a new import.
 */
const KNOWN: Record<string, string> = {};

const SRC = join(REPO, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const folderOf = (file: string): string => {
  const rel = relative(SRC, file).split(/[\\/]/);
  return rel.length > 1 ? rel[0]! : '.';
};

/** Every relative import of every source file: [from, to], as paths below src/. */
function imports(): [string, string][] {
  const out: [string, string][] = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)) {
      const target = normalize(join(dirname(file), m[1]!)).replace(/\.js$/, '.ts');
      out.push([relative(SRC, file), relative(SRC, target)]);
    }
  }
  return out;
}

describe('layers', () => {
  const all = imports();

  it('every folder of src/ has a floor', () => {
    const folders = new Set(sources(SRC).map(folderOf));
    expect([...folders].filter((f) => !(f in FLOORS))).toEqual([]);
  });

  it('no file imports from a higher floor (except the listed debt)', () => {
    expect(all.length).toBeGreaterThan(300); // the parser sees the imports
    const upward = all
      .filter(([from, to]) => FLOORS[folderOf(join(SRC, to))]! > FLOORS[folderOf(join(SRC, from))]!)
      .map(([from, to]) => `${from} -> ${to}`)
      .filter((edge) => !(edge in KNOWN));
    expect(upward).toEqual([]);
  });

  it('the listed debt is still real (remove an entry once its import is gone)', () => {
    const edges = new Set(all.map(([from, to]) => `${from} -> ${to}`));
    expect(Object.keys(KNOWN).filter((k) => !edges.has(k))).toEqual([]);
  });
});
