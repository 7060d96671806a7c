/**
 * Reads a YAML or JSON spec file (the `yaml` package parses both) and locates spec paths in it,
 * so every reported problem carries file:line:column.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { describeFound, SpecError, type SpecIssue, type SpecPath } from '../spec/spec-error.js';
import { RESERVED_KEY } from '../util/spreadsheet-safety.js';
import { quoteShort, shorten } from '../util/shorten.js';

/** Per anchor: how many times an alias may repeat it (yaml's guard against alias bombs). */
const MAX_ALIAS_COUNT = 100;

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
  const text = bytes.toString('utf8');
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  } catch (err) {
    throw new SpecError(file, [{ path: [], message: `not valid YAML/JSON: ${shorten((err as Error).message)}` }]);
  }
  if (doc.errors.length > 0) {
    // Only the first syntax error is reliable: the parser is out of step after it, so each later
    // token would be "a problem" (one stray "}" gave 55). The first, with its line, and a count.
    const first = doc.errors[0]!;
    const pos = lineCounter.linePos(first.pos[0]);
    const lineStart = lineCounter.lineStarts[pos.line - 1] ?? 0;
    const more = doc.errors.length - 1;
    const line = text.slice(lineStart).split(/\r\n|\r|\n/, 1)[0]!.trimEnd();
    const quote = line.trim() === '' ? '' : ` (line ${pos.line} reads ${quoteShort(line, 60)})`;
    const message = `not valid YAML/JSON: ${shorten(first.message)}${quote}${more > 0 ? `; fix this one first; ${more} more syntax error${more > 1 ? 's' : ''} follow${more > 1 ? '' : 's'}` : ''}`;
    throw new SpecError(file, [{ path: [], message, line: pos.line, column: pos.col }]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (err) {
    // yaml refuses documents whose aliases expand too much (a "billion laughs" alias bomb).
    const msg = (err as Error).message;
    const message = /alias/i.test(msg)
      ? `too many YAML aliases (*name) expanding into the document (more than ${MAX_ALIAS_COUNT} per anchor); write the values out or use fewer aliases`
      : `not valid YAML/JSON: ${shorten(msg)}`;
    throw new SpecError(file, [{ path: [], message }]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    // Quote only the line the value starts on (YAML folds a plain multi-line text into one value).
    const start = isNode(doc.contents) && doc.contents.range ? doc.contents.range[0] : 0;
    const pos = lineCounter.linePos(start);
    const found = data === null ? 'an empty file' : Array.isArray(data) ? describeFound(data) : `the text ${quoteShort(text.slice(start))}`;
    throw new SpecError(file, [{ path: [], message: `expected a mapping of keys (e.g. "name: ..."), found ${found}`, line: pos.line, column: pos.col }]);
  }
  const reserved = reservedKeyPaths(data);
  if (reserved.length > 0) {
    throw new SpecError(
      file,
      reserved.map((path) => ({ path, message: `"${RESERVED_KEY}" cannot be used as a name (it would reach JavaScript's object prototype); choose another name`, ...position(doc, lineCounter, path, true) })),
    );
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

/** Paths of every mapping key "__proto__" in the parsed data (yaml keeps it as an own key). */
function reservedKeyPaths(data: unknown, path: (string | number)[] = [], out: (string | number)[][] = [], seen = new Set<object>()): (string | number)[][] {
  // An alias may repeat (or contain) a node: visit each node once.
  if (data === null || typeof data !== 'object' || seen.has(data)) return out;
  seen.add(data);
  if (Array.isArray(data)) data.forEach((v, i) => reservedKeyPaths(v, [...path, i], out, seen));
  else {
    for (const key of Object.keys(data)) {
      if (key === RESERVED_KEY) out.push([...path, key]);
      else reservedKeyPaths((data as Record<string, unknown>)[key], [...path, key], out, seen);
    }
  }
  return out;
}
