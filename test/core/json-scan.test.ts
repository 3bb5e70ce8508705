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

test('keys in order need no lookup (issue 22), yet a repeat is found wherever it falls: against a plain scan, on generated objects', () => {
  // The plain rule: per object, the first key already seen in it; the offset of its opening quote.
  const plain = (text: string): number | null => {
    const stack: (Set<string> | null)[] = [];
    let expectKey = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        const end = text.indexOf('"', i + 1);
        const top = stack[stack.length - 1];
        if (top && expectKey) {
          const key = text.slice(i + 1, end);
          if (top.has(key)) return i;
          top.add(key);
          expectKey = false;
        }
        i = end;
      } else if (c === '{' || c === '[') { stack.push(c === '{' ? new Set() : null); expectKey = c === '{'; }
      else if (c === '}' || c === ']') stack.pop();
      else if (c === ',') expectKey = stack[stack.length - 1] !== null;
    }
    return null;
  };
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const value = (depth: number): string => {
    const r = next() % 5;
    if (depth > 2 || r < 2) return String(next() % 10);
    if (r === 2) return `[${Array.from({ length: next() % 4 }, () => value(depth + 1)).join(',')}]`;
    // Keys from a small alphabet, sorted most of the time (as our files are), so repeats fall early, late and never.
    const keys = Array.from({ length: next() % 6 }, () => 'abcdef'[next() % 6] + (next() % 3 === 0 ? 'x' : ''));
    if (next() % 3 !== 0) keys.sort();
    return `{${keys.map((k) => `"${k}":${value(depth + 1)}`).join(',')}}`;
  };
  let repeated = 0;
  for (let n = 0; n < 3000; n++) {
    const text = value(0);
    const want = plain(text);
    assert.is(scanJson(text)?.offset ?? null, want, text);
    if (want !== null) repeated += 1;
  }
  assert.ok(repeated > 300 && repeated < 2700, `${repeated} of 3000 with a repeat: both outcomes covered`);
  assert.is(scanJson('{"a":1,"a":2}')?.offset, 7, 'the same key twice in a row');
  assert.is(scanJson('{"a":1,"c":2,"b":3,"c":4}')?.offset, 19, 'a repeat after the keys went out of order');
  assert.is(scanJson('{"b":1,"a":2,"b":3}')?.offset, 13);
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
