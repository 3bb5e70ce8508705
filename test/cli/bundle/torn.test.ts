// create-update does not fsync its archive (issue 22; README "Offline bundles"): a crash soon after it finished can
// leave, at the final name, a file cut short or with blocks the disk never received (read back as zeros). Such a
// bundle must be refused when read, never trusted: each torn form of a real create-update bundle, given to
// `apply-update` and to `plan --repo BUNDLE`, exits 7 naming what is wrong, and leaves the pack and TMPDIR as they were.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { refusedCleanly } from '../../helpers/refusal.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-torn-bundle-');
const fx = buildFixtures(join(dir, 'fx')) as { repo: string; root: string; product: string };
const home = writeHome(join(dir, 'home'));
for (const args of [
  ['init', '--home', home, '--repo', fx.repo, '--trust-root', fx.root],
  ['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '3', '--out', join(dir, 'whole.tar')],
]) {
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(r.stderr);
}
const whole = readFileSync(join(dir, 'whole.tar'));
const PAGE = 4096;

/** What a crash can leave of `whole`: a prefix, or the whole length with pages never written back read as zeros. */
function torn(): Array<[string, Buffer]> {
  const zeroed = (from: number, to: number) => { const b = Buffer.from(whole); b.fill(0, from, to); return b; };
  const mid = Math.floor(whole.length / 2 / PAGE) * PAGE;
  return [
    ['empty (the name was made durable, none of the data)', Buffer.alloc(0)],
    ['cut at a page inside the archive', whole.subarray(0, mid)],
    ['cut one page short', whole.subarray(0, whole.length - PAGE)],
    ['whole length, the first page zeros', zeroed(0, PAGE)],
    ['whole length, a page in the middle zeros', zeroed(mid, mid + PAGE)],
    ['whole length, the second half zeros', zeroed(mid, whole.length)],
    ['whole length, all zeros', Buffer.alloc(whole.length)],
  ];
}

test('the bundle as written applies (the torn cases below are refused for what is torn, not for what it is)', async () => {
  const r = await runCli(['plan', '--repo', join(dir, 'whole.tar'), '--home', home, '--out', join(dir, 'plan-whole.json')]);
  assert.is(r.code, 0, r.stderr);
});

test('a torn bundle at the final name: apply-update and plan --repo BUNDLE refuse it (exit 7, the reason named), changing nothing', async () => {
  for (const [i, [name, bytes]] of torn().entries()) {
    const file = join(dir, `torn-${i}.tar`);
    writeFileSync(file, bytes);
    const reason = /truncated|end-of-archive|empty|not a tar|checksum|does not match|missing|not signed|no (root|timestamp)|not in the bundle|data is missing/i;
    const a = await refusedCleanly(home, ['apply-update', file, '--yes'], 7, reason, join(dir, `tmp-a-${i}`));
    assert.match(a, /nothing was changed/i, name);
    await refusedCleanly(home, ['plan', '--repo', file, '--out', join(dir, `plan-${i}.json`)], 7, reason, join(dir, `tmp-p-${i}`));
  }
});

test('a torn page inside a blob the update installs: apply-update refuses it by the blob\'s sha256 (exit 7), changing nothing', async () => {
  // A blob only level 3 has: the update writes it, so apply reads and verifies it.
  const shas = (level: number) => new Set(Object.values(JSON.parse(readFileSync(join(fx.repo, `products/${fx.product}/levels/000${level}/manifest.json`), 'utf8')).files).map((e) => (e as { sha256?: string }).sha256));
  const [l0, l3] = [shas(0), shas(3)];
  const sha = [...l3].find((x): x is string => typeof x === 'string' && !l0.has(x) && readFileSync(join(fx.repo, 'blobs/sha256', x.slice(0, 2), x)).length > 600)!;
  const data = readFileSync(join(fx.repo, 'blobs/sha256', sha.slice(0, 2), sha));
  const at = whole.indexOf(data);
  assert.ok(at > 0, 'the blob is in the bundle');
  const b = Buffer.from(whole);
  b.fill(0, at, at + 512);
  const file = join(dir, 'torn-blob.tar');
  writeFileSync(file, b);
  // A pack of its own: nothing verified earlier (a plan's cached blobs) stands in for the bundle's copy.
  const fresh = writeHome(join(dir, 'home-blob'));
  const init = await runCli(['init', '--home', fresh, '--repo', fx.repo, '--trust-root', fx.root]);
  assert.is(init.code, 0, init.stderr);
  await refusedCleanly(fresh, ['apply-update', file, '--yes'], 7, /does not match its sha256/, join(dir, 'tmp-blob'), { logged: /failed: .*does not match its sha256/ });
});

test.run();
