// io/schema-messages: ajv's errors in words a person acts on, at readable paths.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ErrorObject } from 'ajv';
import { describePath, pointerSegments, problemsOf } from '../../src/io/schema-messages.js';

const err = (keyword: string, instancePath: string, params: Record<string, unknown>, extra: Partial<ErrorObject> = {}): ErrorObject =>
  ({ keyword, instancePath, schemaPath: '#', params, ...extra }) as ErrorObject;

test('JSON pointers: ~1 and ~0 unescaped, the root is no segment', () => {
  assert.equal(pointerSegments(''), []);
  assert.equal(pointerSegments('/files/lib~1a.jar/sha256'), ['files', 'lib/a.jar', 'sha256']);
  assert.equal(pointerSegments('/a~0b~01'), ['a~b~1']);
});

test('paths: dotted names, [n] in lists, quoted keys that are not plain names', () => {
  const root = { files: { 'lib/a.jar': { sha256: 'x' } }, fixes: [{ id: 1 }] };
  assert.is(describePath(['files', 'lib/a.jar', 'sha256'], root), 'files["lib/a.jar"].sha256');
  assert.is(describePath(['fixes', '0', 'id'], root), 'fixes[0].id');
  assert.is(describePath([], root), '');
  assert.is(describePath(['a', 'b'], null), 'a.b');
});

test('each keyword in words; the generic echoes dropped', () => {
  const root = { level: '1', fixes: [{}], files: {}, x: 1 };
  const problems = problemsOf([
    err('type', '/level', { type: 'integer' }),
    err('required', '/fixes/0', { missingProperty: 'id' }),
    err('additionalProperties', '', { additionalProperty: 'x' }),
    err('pattern', '/product', { pattern: '^[0-9a-f]{64}$' }),
    err('pattern', '/y', { pattern: '^z$' }),
    err('enum', '/kind', { allowedValues: ['file', 'symlink'] }),
    err('const', '/formatVersion', { allowedValue: 1 }),
    err('minimum', '/level', { limit: 0 }),
    err('minLength', '/title', { limit: 1 }),
    err('minLength', '/title', { limit: 3 }),
    err('maxLength', '/title', { limit: 9 }),
    err('propertyNames', '/files', { propertyName: 'bad' }),
    err('discriminator', '', {}),
    err('if', '', {}),
    err('pattern', '/files', { pattern: '^0[0-7]{3}$' }, { propertyName: 'BAD NAME' }),
    err('oneOf', '/z', {}, { message: 'must match exactly one schema in oneOf' }),
  ], root);
  assert.equal(problems.map((p) => `${p.where}: ${p.text}${p.showValue ? ' +value' : ''}`), [
    'level: must be a whole number +value',
    'fixes[0]: is missing the field "id"',
    'the file: has an unknown field "x"',
    'product: must be a sha256 (64 lowercase hex digits) +value',
    'y: must match ^z$ +value',
    'kind: must be one of file, symlink +value',
    'formatVersion: must be 1 +value',
    'level: must be 0 or more +value',
    'title: must not be empty +value',
    'title: must be at least 3 characters +value',
    'title: must be at most 9 characters +value',
    'files: the name "BAD NAME": must be an octal mode written like "0644"',
    'z: must match exactly one schema in oneOf +value',
  ]);
  assert.is(problems[2].key, 'x');
  assert.is(problems[11].key, 'BAD NAME');
});

test.run();
