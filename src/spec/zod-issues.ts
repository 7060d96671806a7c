/** Turns zod's issues into vtrial's "expected X, found Y" spec issues. */
import type { z } from 'zod';
import { describeFound, type SpecIssue } from './spec-error.js';
import { closestName } from '../util/closest-name.js';

type Issue = z.core.$ZodIssue;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** YAML reads unquoted null, yes, no, on, off, ~ as non-text: say how to write them as text. */
function yamlHint(found: unknown): string {
  return found === null || typeof found === 'boolean' ? ' (YAML reads an unquoted null, true, false, ~ as values, not text: quote it, e.g. name: "null")' : '';
}

function messageFor(issue: Issue, found: unknown): string {
  const expectsText = issue.code === 'invalid_type' && issue.expected === 'string';
  return messageForIssue(issue, found) + (expectsText ? yamlHint(found) : '');
}

function messageForIssue(issue: Issue, found: unknown): string {
  if (issue.message && !issue.message.startsWith('Invalid') && !issue.message.startsWith('Too ') && issue.code !== 'unrecognized_keys') {
    // A message written in our schemas: already says what was expected.
    return found === undefined && issue.code === 'invalid_type' ? `is required: ${issue.message}` : `${issue.message}, found ${describeFound(found)}`;
  }
  switch (issue.code) {
    case 'invalid_type': {
      const exp = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (found === undefined) return `is required (expected ${exp})`;
      return `expected ${exp}, found ${describeFound(found)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array') return `expected at least ${min} item${min === 1 ? '' : 's'}, found ${describeFound(found)}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `expected a number ${issue.inclusive ? '>=' : '>'} ${min}, found ${describeFound(found)}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array') return `expected at most ${max} items, found ${describeFound(found)}`;
      return `expected a number ${issue.inclusive ? '<=' : '<'} ${max}, found ${describeFound(found)}`;
    }
    case 'invalid_value':
      if (found === undefined) return `is required (expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')})`;
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describeFound(found)}`;
    case 'unrecognized_keys':
      return issue.message;
    case 'invalid_union':
      return `expected ${issue.message.replace(/^Invalid input:?\s*/, '') || 'another form'}, found ${describeFound(found)}`;
    default:
      return `${issue.message}, found ${describeFound(found)}`;
  }
}

export function zodToSpecIssues(error: z.ZodError, input: unknown): SpecIssue[] {
  const out: SpecIssue[] = [];
  collect(error.issues, [], input, out);
  return out;
}

const isRootTypeMiss = (i: Issue) => i.path.length === 0 && i.code === 'invalid_type';

function collect(issues: readonly Issue[], prefix: (string | number)[], input: unknown, out: SpecIssue[]): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    if (issue.code === 'unrecognized_keys') {
      // One issue per unknown key, pointing at the key itself.
      for (const key of issue.keys) out.push({ path: [...path, key], message: issue.message, atKey: true });
      continue;
    }
    if (issue.code === 'invalid_union' && Array.isArray((issue as { options?: unknown }).options) && issue.errors.length === 0) {
      // A discriminated union (e.g. `type:` of an endpoint or treatment) with an unknown tag.
      const options = ((issue as { options: unknown[] }).options).map(String);
      const found = valueAt(input, path);
      const hint = typeof found === 'string' ? closestName(found, options) : undefined;
      const expected = `one of ${options.map((o) => JSON.stringify(o)).join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`;
      out.push({ path, message: found === undefined ? `is required (expected ${expected})` : `expected ${expected}, found ${describeFound(found)}` });
      continue;
    }
    if (issue.code === 'invalid_union') {
      // Report the branch whose shape matched the value (e.g. a {by, values} table with a bad
      // entry); if none matched, say which shapes were expected.
      const matched = issue.errors.find((branch) => !branch.every(isRootTypeMiss));
      if (matched) {
        collect(matched, path, input, out);
      } else {
        const shapes = issue.errors.flatMap((b) => b.filter(isRootTypeMiss)).map((i) => {
          const exp = (i as { expected: string }).expected;
          return exp === 'object' ? 'a {by, values} table' : (TYPE_WORDS[exp] ?? exp);
        });
        const found = valueAt(input, path);
        const expected = [...new Set(shapes)].join(' or ');
        out.push({ path, message: found === undefined ? `is required (expected ${expected})` : `expected ${expected}, found ${describeFound(found)}` });
      }
      continue;
    }
    out.push({ path, message: messageFor(issue, valueAt(input, path)) });
  }
}
