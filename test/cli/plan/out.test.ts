// Review regression: `plan --out` at a path that cannot hold a file (a missing folder, a folder) printed a raw
// ENOENT/EISDIR with "This is a bug in wso2update". Now it is an error that names the file and says what to do,
// with no temporary file left beside it and the pack unchanged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeFixture, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

test('an --out that cannot be a file: exit 1 naming it, no leftovers, pack unchanged', async () => {
  const f = await makeFixture();
  const before = snapshot(f.home, (r) => r.startsWith('updates/logs') || r === 'updates/wso2update/lock');
  const root = tmpDir();
  mkdirSync(join(root, 'a-folder'));
  const cases: [string, string, string][] = [
    ['a missing folder', join(root, 'no', 'such', 'plan.json'), 'its folder does not exist'],
    ['a folder', join(root, 'a-folder'), 'it is a folder'],
  ];
  for (const [name, out, why] of cases) {
    const r = await runCli(['plan', '--home', f.home, '--out', out]);
    assert.is(r.code, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr, `cannot write the plan file ${out}: ${why}`, name);
    assert.not.match(r.stderr, 'This is a bug', name);
    assert.equal(readdirSync(root).sort(), ['a-folder'], `${name}: leftovers`);
    assert.equal(readdirSync(dirname(join(root, 'a-folder', 'x'))), [], name);
  }
  assert.equal(snapshotDiff(before, snapshot(f.home, (r) => r.startsWith('updates/logs') || r === 'updates/wso2update/lock')), []);
});

test.run();
