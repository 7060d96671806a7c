/**
 * Errors in a user's spec: each issue names the path inside the file, what was expected and
 * what was found. The reader of the file fills in line and column.
 */
import { quoteShort, shorten } from '../util/shorten.js';

export type SpecPath = readonly (string | number)[];

export interface SpecIssue {
  path: SpecPath;
  message: string;
  /** Point at the key itself rather than its value (unknown keys). */
  atKey?: boolean;
  /** 1-based line/column, filled in by the file reader where the path can be located. */
  line?: number;
  column?: number;
}

export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly SpecIssue[],
  ) {
    super(formatSpecIssues(file, issues));
    this.name = 'SpecError';
  }
}

/** `covariates.age.sd`, `enrolment.inclusion[2].expr` */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? shorten(p) : `.${shorten(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

export function formatSpecIssues(file: string, issues: readonly SpecIssue[]): string {
  const head = `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the spec`;
  const lines = issues.map((i) => {
    const at = i.line ? `${file}:${i.line}:${i.column ?? 1}` : file;
    return `  ${at}  ${formatPath(i.path)}: ${i.message}`;
  });
  return [head, ...lines].join('\n');
}

/** Collects issues while validating; `under` prefixes paths for nested checks. */
export class IssueList {
  readonly items: SpecIssue[] = [];
  add(path: SpecPath, message: string, atKey = false): void {
    this.items.push(atKey ? { path, message, atKey } : { path, message });
  }
  addAll(prefix: SpecPath, issues: readonly SpecIssue[]): void {
    for (const i of issues) this.items.push({ ...i, path: [...prefix, ...i.path] });
  }
  get ok(): boolean {
    return this.items.length === 0;
  }
}

/** Describes a value the user wrote, for "found ..." in messages. */
export function describeFound(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return quoteShort(v);
  return String(v);
}
