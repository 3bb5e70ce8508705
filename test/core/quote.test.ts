// core/quote: outside values quoted into messages, hostile lengths cut and said.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clip, quote, QUOTE_MAX } from '../../src/core/quote.js';

test('quote: JSON-quoted so control characters and spaces show; non-strings turned to text', () => {
  assert.is(quote('lib/a.jar'), '"lib/a.jar"');
  assert.is(quote('a b\n\t\u0000'), '"a b\\n\\t\\u0000"');
  assert.is(quote(420), '"420"');
  assert.is(quote(null), '"null"');
  assert.is(quote(''), '""');
});

test('quote: a hostile 5,000-character value is cut at QUOTE_MAX and its length said; the boundary is not cut', () => {
  const long = 'x'.repeat(5000);
  const q = quote(long);
  assert.is(q, `"${'x'.repeat(QUOTE_MAX)}"... (5000 characters)`);
  assert.ok(q.length < QUOTE_MAX + 40);
  assert.is(quote('y'.repeat(QUOTE_MAX)), `"${'y'.repeat(QUOTE_MAX)}"`);
  assert.is(quote('abcdef', 3), '"abc"... (6 characters)');
});

test('clip: free text cut at max, with its length; short text unchanged', () => {
  assert.is(clip('short', 10), 'short');
  assert.is(clip('0123456789', 10), '0123456789');
  assert.is(clip('0123456789a', 10), '0123456789... (11 characters)');
  assert.is(clip('', 0), '');
});

test.run();
