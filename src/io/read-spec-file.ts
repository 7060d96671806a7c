/**
 * Reads a YAML or JSON spec file (the `yaml` package parses both) and locates spec paths in it,
 * so every reported problem carries file:line:column.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { SpecError, type SpecIssue, type SpecPath } from '../spec/spec-error.js';

export interface SpecFile {
  /** The path as the user gave it (used in messages). */
  file: string;
  data: unknown;
  /** sha256 of the file's bytes, for run manifests. */
  sha256: string;
  /** Adds line/column to issues whose path can be found in the file. */
  locate(issues: readonly SpecIssue[]): SpecIssue[];
}

export function readSpecFile(file: string): SpecFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SpecError(file, [{ path: [], message: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})` }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new SpecError(
      file,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: [], message: `not valid YAML/JSON: ${e.message.split('\n')[0]}`, line: pos.line, column: pos.col };
      }),
    );
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SpecError(file, [{ path: [], message: 'expected a mapping of keys (e.g. "name: ..."), found ' + (data === null ? 'an empty file' : Array.isArray(data) ? 'a list' : String(data)) }]);
  }
  return {
    file,
    data,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    locate: (issues) =>
      issues
        .map((i) => ({ ...i, ...position(doc, lineCounter, i.path, i.atKey) }))
        .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)),
  };
}

function position(doc: Document, lc: LineCounter, path: SpecPath, atKey = false): { line?: number; column?: number } {
  // The deepest node on the path that exists (a missing key points at its parent).
  for (let n = path.length; n >= 0; n--) {
    const prefix = path.slice(0, n);
    const node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
    if (isNode(node) && node.range && !(atKey && n === path.length)) {
      const pos = lc.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
    // A key whose value is missing or null: point at the key.
    if (n > 0) {
      const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
      const pair = (parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null)?.items?.find(
        (it) => it.key && (it.key as { value?: unknown }).value === path[n - 1],
      );
      if (pair?.key?.range) {
        const pos = lc.linePos(pair.key.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
  }
  return {};
}
