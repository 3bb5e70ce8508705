// io/source-position: where in a YAML or JSON text a problem is, and a value as written ("1.10", not 1.1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonErrorOffset, lineColAt, locate, parseSource } from '../../src/io/source-position.js';

const YAML = 'product: wso2am-4.2.0\nlevel: 1.10\nfixes:\n  - id: F-1\n    title: one\n  - id: F-2\n';

test('locate: the node at a path, its line and column, and its scalar as written', () => {
  const src = parseSource(YAML);
  assert.equal(locate(src, ['level']), { line: 2, col: 8, raw: '1.10' });
  assert.equal(locate(src, ['fixes', '1', 'id']), { line: 6, col: 9, raw: 'F-2' });
  assert.equal(locate(src, ['fixes', '0']), { line: 4, col: 5, raw: null });
  assert.equal(locate(src, ['fixes', '0'], 'title'), { line: 5, col: 5, raw: 'title' });
});

test('locate: a path that goes past what exists points at the deepest node that does', () => {
  const src = parseSource(YAML);
  assert.equal(locate(src, ['fixes', '7', 'id']), locate(src, ['fixes']));
  assert.equal(locate(src, ['fixes']), { line: 4, col: 3, raw: null });
  assert.equal(locate(src, ['nope']), locate(src, []));
  assert.is(locate(parseSource(''), ['x']), null);
});

test('JSON is read the same way (YAML 1.2 core schema)', () => {
  const src = parseSource('{\n  "a": {"b": "2025-01-01"}\n}');
  assert.equal(locate(src, ['a', 'b']), { line: 2, col: 14, raw: '"2025-01-01"' });
});

test('lineColAt: 1-based, the newline belongs to its line, offsets past the end stay on the last line', () => {
  assert.equal(lineColAt('ab\ncd\n', 0), { line: 1, col: 1 });
  assert.equal(lineColAt('ab\ncd\n', 2), { line: 1, col: 3 });
  assert.equal(lineColAt('ab\ncd\n', 3), { line: 2, col: 1 });
  assert.equal(lineColAt('ab\ncd\n', 99), { line: 3, col: 94 });
  assert.equal(lineColAt('', 0), { line: 1, col: 1 });
});

test('jsonErrorOffset: the position V8 names, else the end of the longest viable prefix', () => {
  assert.is(jsonErrorOffset('{"a":1,}', 'Unexpected token } in JSON at position 7'), 7);
  const text = '{"a": [1, 2}, "b": 3}';
  let message = '';
  try { JSON.parse(text); } catch (e) { message = (e as Error).message.replace(/at position \d+.*/, ''); }
  const at = jsonErrorOffset(text, message);
  assert.is(text[at], '}', `offset ${at}`);
  assert.is(jsonErrorOffset('{"a":', 'Unexpected end of JSON input'), 5);
  const long = `[${'1,'.repeat(50_000)}x]`;
  assert.is(jsonErrorOffset(long, 'no position here'), long.length - 2, 'a binary search, fast on a large text');
});

test.run();
