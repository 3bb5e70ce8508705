// ui/size: byte counts as people read them, one rule for every line that shows a size.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sizeText } from '../../src/ui/size.js';

test('bytes, kB (rounded up, so a small file never reads 0 kB) and MB at their boundaries', () => {
  const table: [number, string][] = [
    [0, '0 bytes'], [1, '1 byte'], [2, '2 bytes'], [1023, '1023 bytes'], [1024, '1 kB'], [1025, '2 kB'],
    [1024 * 1024 - 1, '1024 kB'], [1024 * 1024, '1.0 MB'], [1.5 * 1024 * 1024, '1.5 MB'], [5 * 1024 ** 3, '5120.0 MB'],
  ];
  for (const [n, text] of table) assert.is(sizeText(n), text, String(n));
});

test.run();
