// ui/publish.ts: the vendor side's lines (publish, --refresh-timestamp, publish-hotfix, publish-tool) and their JSON.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderHotfixPublished, renderPublished, renderTimestampRefreshed, renderToolPublished } from '../../src/ui/publish.js';
import type { PublishResult } from '../../src/core/publish.js';

const level = {
  product: 'wso2am-4.2.0', level: 3, previousLevel: 2, files: 120, added: 2, modified: 5, removed: 1, blobsStored: 7, bytesStored: 3 * 1048576,
  blobsExisting: 113, unchanged: false, warnings: ['conf/x.toml is larger than 1 MB'],
} as unknown as PublishResult;

test('publish: the summary, each warning, and the signing line when signed; the result as JSON with --json', () => {
  const out = renderPublished({ ...level, signed: { targets: 9, version: 4 } }, { json: true, seconds: 1.25 });
  assert.is(out.stderr, 'Published wso2am-4.2.0 level 3: 120 files (against level 2: 2 added, 5 modified, 1 removed); 7 new blobs (3.0 MB), 113 already stored in 1.3 s\n'
    + 'Warning: conf/x.toml is larger than 1 MB\n'
    + 'Signed: 9 targets (index, manifests, descriptors), timestamp version 4\n');
  assert.equal(JSON.parse(out.stdout).signed, { targets: 9, version: 4 });
  assert.is(renderPublished(level, { json: false }).stdout, '');
  assert.is(renderPublished({ ...level, previousLevel: null, warnings: [] } as unknown as PublishResult, { json: false }).stderr.split('\n').length, 2);
  assert.match(renderPublished({ ...level, unchanged: true, warnings: [] }, { json: false }).stderr, /^wso2am-4.2.0 level 3 is already published with this content \(120 files\); nothing to do\n$/);
});

test('refresh-timestamp: the one line a cron job logs', () => {
  const out = renderTimestampRefreshed('/srv/repo', { version: 12, expires: '2026-12-08T00:00:00Z' }, true);
  assert.is(out.stderr, 'Re-signed /srv/repo/metadata/timestamp.json: version 12, expires 2026-12-08T00:00:00Z\n');
  assert.equal(JSON.parse(out.stdout), { repository: '/srv/repo', timestamp: { version: 12, expires: '2026-12-08T00:00:00Z' } });
});

test('publish-hotfix: counts, the files left out, signing; already published says nothing to do', () => {
  const r = { id: 'HF-1', product: 'wso2am-4.2.0', level: 3, replaced: ['a', 'b'], added: ['c'], removed: [], blobsStored: 2, unchangedInTree: 4, unchanged: false, record: 'ff' };
  const out = renderHotfixPublished(r, { targets: 3, version: 2 }, true);
  assert.is(out.stderr, 'Published hotfix HF-1 for wso2am-4.2.0 level 3: 2 replaced, 1 added, 0 removed; 2 new blobs (4 files of the tree are as the level ships them and were left out)\n'
    + 'Signed: 3 targets, timestamp version 2\n');
  assert.equal(JSON.parse(out.stdout), { ...r, signed: { targets: 3, version: 2 } });
  assert.is(renderHotfixPublished({ ...r, unchangedInTree: 0 }, undefined, false).stderr.includes('left out'), false);
  assert.equal(renderHotfixPublished({ ...r, unchanged: true }, undefined, false), { stderr: 'Hotfix HF-1 is already published with this content; nothing to do.\n', stdout: '' });
});

test('publish-tool: the files, the release it follows, and the signing', () => {
  const r = { repository: '/srv/repo', version: '0.3.0', previous: '0.2.0', runtime: 'node20-abi1', files: { 'wso2update.code': {}, wso2update_linux: {} } };
  const out = renderToolPublished(r, { targets: 5, version: 6 }, true);
  assert.is(out.stderr, 'Published wso2update 0.3.0 (after 0.2.0) to /srv/repo: wso2update.code, wso2update_linux\nSigned: 5 targets, timestamp version 6\n');
  assert.equal(Object.keys(JSON.parse(out.stdout)), ['repository', 'version', 'previous', 'runtime', 'files']);
  assert.match(renderToolPublished({ ...r, previous: null }, { targets: 5, version: 6 }, false).stderr, /^Published wso2update 0.3.0 to \/srv\/repo:/);
});

test.run();
