// core/merge/split: a three-way merge cut at lines unique and equal in all three texts, so its cost follows the edits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { splitSpans } from '../../../src/core/merge/split.js';
import { Counts, intern, splitLines } from '../../../src/core/merge/lines.js';

function spans(o: string, a: string, b: string) {
  const { ids, distinct } = intern([splitLines(o), splitLines(a), splitLines(b)]);
  return splitSpans(ids[0], ids[1], ids[2], new Counts(distinct));
}

test('three equal texts: nothing to merge', () => {
  assert.equal(spans('a\nb\nc\n', 'a\nb\nc\n', 'a\nb\nc\n'), []);
  assert.equal(spans('', '', ''), []);
});

test('the shared start and end are set aside; one edit is one span', () => {
  assert.equal(spans('h\nx\nt\n', 'h\nX\nt\n', 'h\nx\nt\n'), [{ o0: 1, o1: 2, a0: 1, a1: 2, b0: 1, b1: 2 }]);
});

test('edits on both sides of unique shared lines become two spans, cut at those anchors (each a line of its own)', () => {
  const o = '1\n2\nanchor\n3\n4\n';
  const a = '1\nA\nanchor\n3\n4\n';
  const b = '1\n2\nanchor\n3\nB\n';
  assert.equal(spans(o, a, b), [
    { o0: 1, o1: 2, a0: 1, a1: 2, b0: 1, b1: 2 },
    { o0: 4, o1: 5, a0: 4, a1: 5, b0: 4, b1: 5 },
  ]);
});

test('a repeated line is no anchor (it may pair wrongly), nor one that moved in one text', () => {
  // "dup" occurs twice and nothing else is shared by all three: the edits around it stay in one span.
  assert.equal(spans('x\ndup\ndup\nz\n', 'X\ndup\ndup\nz\n', 'x\ndup\ndup\nZ\n'), [{ o0: 0, o1: 4, a0: 0, a1: 4, b0: 0, b1: 4 }]);
  // With a unique line between, it cuts there.
  assert.is(spans('x\ndup\ny\ndup\nz\n', 'X\ndup\ny\ndup\nz\n', 'x\ndup\ny\ndup\nZ\n').length, 2);
  // "m" comes first in ours but last in theirs: no order holds in all three, so no cut at both.
  const s = spans('p\nm\nq\nn\n', 'm\np\nq\nn\n', 'p\nq\nn\nm\n');
  for (const x of s) assert.ok(x.o0 <= x.o1 && x.a0 <= x.a1 && x.b0 <= x.b1);
  const covered = s.reduce((n, x) => n + (x.o1 - x.o0), 0);
  assert.ok(covered >= 2, JSON.stringify(s));
});

test('spans never overlap and keep to each text\'s bounds on a large edited file', () => {
  const o = Array.from({ length: 3000 }, (_, i) => `line ${i}\n`);
  const a = [...o];
  const b = [...o];
  for (let i = 100; i < 3000; i += 500) a[i] = `ours ${i}\n`;
  for (let i = 350; i < 3000; i += 500) b[i] = `theirs ${i}\n`;
  const s = spans(o.join(''), a.join(''), b.join(''));
  assert.is(s.length, 12);
  let last = { o1: 0, a1: 0, b1: 0 };
  for (const x of s) {
    assert.ok(x.o0 >= last.o1 && x.a0 >= last.a1 && x.b0 >= last.b1);
    assert.ok(x.o1 <= 3000 && x.a1 <= 3000 && x.b1 <= 3000);
    last = x;
  }
});

test.run();
