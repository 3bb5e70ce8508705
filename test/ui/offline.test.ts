// ui/offline.ts: what create-update and create-hotfix print about the archive they wrote, and their JSON.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderHotfixArchive, renderUpdateBundle } from '../../src/ui/offline.js';
import type { BundleInfo } from '../../src/core/model.js';

const info = { formatVersion: 1, kind: 'update', product: 'wso2am-4.2.0', fromLevel: 1, toLevel: 3, levels: [1, 2, 3], createdAt: '2026-01-01T00:00:00Z', blobs: 12, blobBytes: 5 * 1048576 } as BundleInfo;

test('create-update: levels, blobs in MB, size and time; the sha256 to compare and the apply-update line as typed', () => {
  const out = renderUpdateBundle({ out: '/w/b.tar', outAsGiven: 'b.tar', product: 'wso2am-4.2.0', from: 1, to: 3, seconds: 2.04, entries: 20, bytes: 5_300_000, sha256: 'ab'.repeat(32), info }, './wso2update_linux', true);
  assert.is(out.stderr, 'Wrote /w/b.tar: wso2am-4.2.0 levels 1, 2, 3 (from 1 to 3), 12 blobs (5.0 MB), 20 entries, 5300000 bytes, in 2.0 s\n'
    + `  sha256 ${'ab'.repeat(32)}  (compare it after copying; apply with: ./wso2update_linux apply-update b.tar)\n`);
  const json = JSON.parse(out.stdout);
  assert.equal(Object.keys(json).slice(0, 4), ['out', 'sha256', 'bytes', 'entries']);
  assert.equal(json.levels, [1, 2, 3]);
  assert.not.ok('outAsGiven' in json, 'what was typed is for the hint, not the result');
});

test('create-hotfix: id, product, level, entries, blobs, size and sha256; JSON adds the id and product', () => {
  const r = { out: '/w/hf.tar', level: 3, blobs: 2, entries: 6, bytes: 4096, sha256: 'cd'.repeat(32) };
  const out = renderHotfixArchive(r, 'HF-1', 'wso2am-4.2.0', true);
  assert.is(out.stderr, `Wrote /w/hf.tar: hotfix HF-1 of wso2am-4.2.0 level 3, 6 entries (2 blobs), 4096 bytes, sha256 ${'cd'.repeat(32)}\n`);
  assert.equal(JSON.parse(out.stdout), { ...r, id: 'HF-1', product: 'wso2am-4.2.0' });
  assert.is(renderHotfixArchive(r, 'HF-1', 'wso2am-4.2.0', false).stdout, '');
});

test.run();
