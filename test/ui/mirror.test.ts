// ui/mirror.ts: a mirror's one line says signed or (loudly) UNSIGNED, the levels per product and what was copied.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderMirrored } from '../../src/ui/mirror.js';

const r = { from: 'https://u', to: '/m', signed: true, products: { 'wso2am-4.2.0': [1, 2], 'wso2is-7.0.0': [] }, blobsCopied: 3, blobsPresent: 9, bytesCopied: 2 * 1048576, toolRelease: null };

test('signed: levels per product, (none) for a product without levels, MB and seconds', () => {
  assert.is(renderMirrored(r, 3.14, false).stderr, 'Mirrored https://u to /m (signed: TUF metadata copied as published and the copy verified): '
    + 'wso2am-4.2.0 levels 1, 2; wso2is-7.0.0 levels (none); 3 blobs copied (2.0 MB), 9 already there, in 3.1 s\n');
  assert.match(renderMirrored({ ...r, signed: false }, 0, false).stderr, /\(UNSIGNED\)/);
});

test('--json: the whole result', () => {
  assert.equal(JSON.parse(renderMirrored(r, 1, true).stdout), r);
  assert.is(renderMirrored(r, 1, false).stdout, '');
});

test.run();
