// Self time of a V8 CPU profile (node --cpu-prof) aggregated by function, by file and by folder,
// and the inclusive time (self and callees) by function.
// Usage: node bench/cpu-profile-summary.mjs PROFILE.cpuprofile... [--top N]
// Example (design A, one worker, in process):
//   node --cpu-prof --cpu-prof-dir /tmp/prof bin/vtrial.js run bench/designs/survival-2arm.yaml \
//     --replicates 300 --workers 1 --keep-patients 0 --out /tmp/prof-out --force
//   node bench/cpu-profile-summary.mjs /tmp/prof/*.cpuprofile
// Self time of a node = the sum of the time deltas of the samples taken in it. Several profiles
// are added together. Paths are shown relative to the repository (dist/ is the compiled src/).
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = [];
let TOP = 20;
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--top') TOP = Number(process.argv[++i]);
  else files.push(process.argv[i]);
}
if (files.length === 0) {
  console.error('usage: node bench/cpu-profile-summary.mjs PROFILE.cpuprofile... [--top N]');
  process.exit(2);
}

const where = (url) => {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (!path.startsWith('/')) return path; // node:internal/...
  const pkg = /\/node_modules\/(@[^/]+\/[^/]+|[^/]+)\//.exec(path);
  if (pkg) return `node_modules/${pkg[1]}`; // one entry per package (node_modules may be a symlink)
  const rel = relative(ROOT, path);
  return rel.startsWith('..') ? path : rel;
};
const folderOf = (file) => (file === '' ? '' : file.startsWith('dist/') ? file.split('/').slice(0, 2).join('/') : file);

const byFunction = new Map();
const byFile = new Map();
const byFolder = new Map();
const inclusive = new Map();
let total = 0;
const add = (m, k, us) => m.set(k, (m.get(k) ?? 0) + us);
const keyOf = (n) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = where(url);
  const special = functionName.startsWith('(');
  const fn = special ? functionName : file === '' ? `${functionName} (native or built-in)` : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
  return { fn, file: special ? functionName : file || '(native or built-in)', folder: special ? functionName : folderOf(file) || '(native or built-in)' };
};
for (const f of files) {
  const p = JSON.parse(readFileSync(f, 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) add(self, p.samples[i], p.timeDeltas[i] ?? 0);
  for (const [id, us] of self) {
    const n = nodes.get(id);
    if (!n) continue;
    const k = keyOf(n);
    total += us;
    add(byFunction, k.fn, us);
    add(byFile, k.file, us);
    add(byFolder, k.folder, us);
  }
  // Inclusive time: a node's self time plus its descendants'; a function recursing counts once.
  const walk = (id, onPath) => {
    const n = nodes.get(id);
    const fn = keyOf(n).fn;
    const fresh = !onPath.has(fn);
    if (fresh) onPath.add(fn);
    let us = self.get(id) ?? 0;
    for (const c of n.children ?? []) us += walk(c, onPath);
    if (fresh) {
      onPath.delete(fn);
      add(inclusive, fn, us);
    }
    return us;
  };
  walk(p.nodes[0].id, new Set());
}

const show = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(6)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`${files.length} profile(s), ${(total / 1e6).toFixed(2)} s of samples`);
show('Self time by folder', byFolder);
show('Self time by file', byFile);
show('Self time by function', byFunction);
show('Inclusive time by function (self and callees)', inclusive);
