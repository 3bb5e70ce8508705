// Plan keeps the blobs it reads from a local folder repository in the pack's cache by a hard link (192f415, issue 22):
// the cache entry and the repository's file are then one inode. Attack, end to end through the CLI: the repository's
// file is rewritten in place (same inode, same size) between plan and apply, as a publisher re-running a broken
// publish over the folder would. Apply must never install those bytes, must refuse as a verification failure with the
// pack as it was and nothing of the run left, and must leave the repository's file alone (the pack never writes,
// chmods or removes through the link anything but its own directory entry).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEVEL0, LEVEL1, makeFixture, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { blobPath } from '../../../src/channel/blobs.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

test('a repository file rewritten in place after plan linked it into the cache: apply refuses (exit 7), the pack as before, the repository file untouched', async () => {
  // A customized deployment.toml that the level changes too: plan merges it, reading (and keeping) both blobs.
  const f = await makeFixture([LEVEL0, LEVEL1], { 'repository/conf/deployment.toml': '[server]\nhostname = "myhost"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n' });
  const plan = join(tmpDir(), 'plan.json');
  const p = await runCli(['plan', '--home', f.home, '--level', '1', '--out', plan, '--on-conflict', 'take-theirs']);
  assert.is(p.code, 0, p.stderr);
  const cache = join(f.home, 'updates/wso2update/cache');
  const linked = readdirSync(cache).filter((n) => /^[0-9a-f]{64}$/.test(n) && existsSync(blobPath(f.repo, n)) && statSync(join(cache, n)).ino === statSync(blobPath(f.repo, n)).ino);
  assert.ok(linked.length > 0, `plan linked no blob into the cache: ${readdirSync(cache).join(', ')}`);
  const before = snapshot(f.home, (r) => r.startsWith('updates/wso2update') || r.startsWith('updates/logs'));
  const forged = new Map<string, Buffer>();
  for (const sha of linked) {
    const file = blobPath(f.repo, sha);
    const bytes = readFileSync(file);
    const other = Buffer.from(bytes.map((b, i) => (i === 0 ? b ^ 0x20 : b))); // same size, one byte changed
    writeFileSync(file, other); // in place: the same inode, so the cache entry changes with it
    forged.set(sha, other);
    assert.equal(readFileSync(join(cache, sha)), other, 'the cache entry is the repository file');
  }
  const a = await runCli(['apply', plan, '--home', f.home]);
  assert.is(a.code, 7, `${a.stdout}\n${a.stderr}`);
  assert.match(a.stderr, /does not match|sha256/);
  assert.not.match(a.stderr, /bug in wso2update/);
  assert.equal(snapshotDiff(before, snapshot(f.home, (r) => r.startsWith('updates/wso2update') || r.startsWith('updates/logs'))), [], 'the pack changed');
  for (const n of ['journal.json', 'staging', 'lock']) assert.not.ok(existsSync(join(f.home, 'updates/wso2update', n)), `${n} left`);
  for (const [sha, bytes] of forged) {
    assert.equal(readFileSync(blobPath(f.repo, sha)), bytes, 'the repository file was changed by the pack\'s tool');
  }
});

test.run();
