import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecFile } from '../../src/io/read-spec-file.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';

function errorOf(text: string): SpecError {
  const file = join(tempDir(), 'spec.yaml');
  writeFileSync(file, text);
  try {
    readSpecFile(file);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('the file was read');
}

describe('reading a spec file', () => {
  it('an alias bomb is a spec error naming the file', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const e = errorOf(bomb);
    expect(e.file).toMatch(/spec\.yaml$/);
    expect(e.issues.map((i) => i.message)).toEqual(['too many YAML aliases (*name) expanding into the document (more than 100 per anchor); write the values out or use fewer aliases']);
  });
  it('every "__proto__" key is a spec error at its line', () => {
    const e = errorOf('name: x\ncovariates:\n  __proto__: { dist: normal }\n  b: { values: { __proto__: 1 } }\n');
    expect(e.issues.map((i) => [i.path.join('.'), i.line, i.column])).toEqual([
      ['covariates.__proto__', 3, 3],
      ['covariates.b.values.__proto__', 4, 18],
    ]);
    expect(e.issues[0]!.message).toMatch(/^"__proto__" cannot be used as a name/);
  });
  it('a file that is not a mapping quotes only its first line, shortened', () => {
    const e = errorOf(`${'root:x:0:0:root:/root:/bin/bash'.repeat(4)}\nsecond:x:1:1\nthird:x:2:2\n`);
    expect(e.issues[0]!.message).toBe(`expected a mapping of keys (e.g. "name: ..."), found the text "${'root:x:0:0:root:/root:/bin/bash'.repeat(4).slice(0, 77)}..."`);
    expect(e.issues[0]!.line).toBe(1);
  });
  it('a self-referencing alias does not loop', () => {
    const file = join(tempDir(), 'loop.yaml');
    writeFileSync(file, 'name: x\nloop: &a { again: *a }\n');
    const sf = readSpecFile(file);
    expect(Object.keys(sf.data as object)).toEqual(['name', 'loop']);
  });
});
