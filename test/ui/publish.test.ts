// ui/publish: publish's one summary line on stderr (warnings after it), the result as JSON on stdout with --json.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderPublishSummary, writePublishResult } from '../../src/ui/publish.js';
import type { PublishResult } from '../../src/core/publish.js';
import { sink } from '../helpers/sink.js';

const R: PublishResult = {
  repository: '/repo', product: 'wso2am-4.2.0', level: 3, previousLevel: 2, unchanged: false, files: 120, added: 2, modified: 5,
  removed: 1, blobsStored: 7, blobsExisting: 113, bytesStored: 3 * 1024 * 1024, manifest: 'a'.repeat(64), descriptor: 'b'.repeat(64), warnings: [],
};

test('the summary: counts against the level before (or "first level"), new bytes, and the time when given', () => {
  assert.is(renderPublishSummary(R, 1.26), 'Published wso2am-4.2.0 level 3: 120 files (against level 2: 2 added, 5 modified, 1 removed); 7 new blobs (3.0 MB), 113 already stored in 1.3 s');
  assert.match(renderPublishSummary({ ...R, previousLevel: null, bytesStored: 10 }), '(first level: 2 added');
  assert.match(renderPublishSummary({ ...R, bytesStored: 10 }), '(10 bytes), 113 already stored');
  assert.is(renderPublishSummary({ ...R, unchanged: true }, 1), 'wso2am-4.2.0 level 3 is already published with this content (120 files); nothing to do');
});

test('people\'s line and warnings on stderr; JSON on stdout only with --json', () => {
  const out = { stdout: sink(), stderr: sink() };
  writePublishResult(out, { ...R, warnings: ['mode of bin/x.sh kept from level 2'] }, { json: false });
  assert.is(out.stdout.text(), '');
  assert.match(out.stderr.text(), /^Published .*\nWarning: mode of bin\/x.sh kept from level 2\n$/);
  const j = { stdout: sink(), stderr: sink() };
  writePublishResult(j, R, { json: true, seconds: 2 });
  assert.equal(JSON.parse(j.stdout.text()), R);
});

test.run();
