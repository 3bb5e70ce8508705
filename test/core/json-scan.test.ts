// core/json-scan: what JSON.parse silently accepts or dies on (duplicate keys, deep nesting, huge containers), found
// before it parses; and the same shape limits for a parsed (YAML) value, aliases expanded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LIMITS, scanJson, valueShapeProblem } from '../../src/core/json-scan.js';

test('valid JSON of our shapes passes, whatever strings hold (quotes, escapes, braces, commas)', () => {
  for (const text of ['{}', '[]', '1', '"x"', '{"a":1,"b":[1,2,{"a":2}]}', '{"a":"}\\"{,","b":"\\\\"}', '{"a":{"a":{"a":1}}}', '[{"k":1},{"k":2}]']) {
    assert.is(scanJson(text), null, text);
    JSON.parse(text);
  }
});

test('a duplicate key is named with its offset, also when written with escapes; keys of sibling objects are apart', () => {
  const dup = scanJson('{"sha256":"a","size":1,"sha256":"b"}');
  assert.ok(dup);
  assert.is(dup!.offset, 23);
  assert.match(dup!.message, 'duplicate key "sha256" (JSON keeps only the last');
  assert.match(scanJson('{"a":1,"\\u0061":2}')?.message ?? '', 'duplicate key "a"');
  assert.is(scanJson('{"x":{"a":1},"y":{"a":1}}'), null);
  const long = 'k'.repeat(5000);
  const msg = scanJson(`{"${long}":1,"${long}":2}`)!.message;
  assert.ok(msg.length < 400, 'a hostile key is cut in the message');
});

test('nesting past the limit and containers past the entry limit are refused; at the limit they pass', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.is(scanJson(deep(LIMITS.depth)), null);
  assert.match(scanJson(deep(LIMITS.depth + 1))?.message ?? '', `nested more than ${LIMITS.depth} levels deep`);
  assert.match(scanJson(deep(1_000_000))?.message ?? '', 'nested', 'a million brackets: no stack overflow');
  const small = { depth: 64, entries: 3 };
  assert.is(scanJson('[1,2,3]', small), null);
  assert.match(scanJson('[1,2,3,4]', small)?.message ?? '', 'more than 3 entries');
  assert.match(scanJson('{"a":1,"b":2,"c":3,"d":4}', small)?.message ?? '', 'more than 3 entries');
});

test('text that is not JSON is left to JSON.parse (truncated strings, bad escapes): no problem claimed, no throw', () => {
  for (const text of ['{"a', '{"a\\', '{"\\uZZZZ":1}', '', '}}}]]', ',,,']) assert.is(scanJson(text), null, JSON.stringify(text));
});

test('valueShapeProblem: depth and entries of a parsed value; an alias bomb is caught by the total', () => {
  let v: unknown = 1;
  for (let i = 0; i < LIMITS.depth; i++) v = [v];
  assert.is(valueShapeProblem(v), null, 'as deep as scanJson allows');
  assert.match(valueShapeProblem([v]) ?? '', `nested more than ${LIMITS.depth} levels deep`);
  assert.is(valueShapeProblem({ a: [1, 2, { b: 'c' }] }), null);
  assert.match(valueShapeProblem([1, 2, 3, 4], { depth: 10, entries: 3 }) ?? '', 'more than 3 entries');
  // "billion laughs": each level lists the one below ten times, as YAML aliases would expand it.
  let bomb: unknown = 'lol';
  for (let i = 0; i < 9; i++) bomb = Array(10).fill(bomb);
  assert.match(valueShapeProblem(bomb, { depth: 64, entries: 1000 }) ?? '', 'values in all (aliases expanded)');
});

test.run();
