// The repository seam through the real CLI: blobs read while planning are kept in the pack's cache and apply stages
// from it (the repository may even have lost them meanwhile); the cache is gone once the update commits; and
// `apply PLAN --repo MIRROR` applies from another location of the same content, refusing one of other content.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../../src/core/canonical.js';
import { blobPath } from '../../../src/channel/blobs.js';
import { LEVEL0, LEVEL1, makeFixture, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const TOML = 'repository/conf/deployment.toml';
const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r.startsWith('updates/logs'));
const text = (spec: unknown) => (typeof spec === 'string' ? spec : (spec as { text: string }).text);

test('plan keeps the merge blobs in the pack; apply stages the conflict helpers from there; commit clears it', async () => {
  // deployment.toml edited on the line the update changes: a text conflict whose .original/.new are the merge blobs.
  const f = await makeFixture(undefined, { [TOML]: '[server]\nhostname = "localhost"\noffset = 0\n\n[database]\nurl = "jdbc:mysql"\n' });
  const plan = join(tmpDir(), 'plan.json');
  assert.is((await runCli(['plan', '--home', f.home, '--level', '1', '--out', plan])).code, 3);
  const cache = join(f.home, 'updates/wso2update/cache');
  const [base, target] = [text(LEVEL0[TOML]), text(LEVEL1[TOML])].map((t) => sha256Hex(t));
  // Beside the merge's two blobs, the new side of the one text file level 1 replaces unmerged (bin/api-manager.sh):
  // the plan shows its diff for review (issue 23), read once here and kept for apply like the others.
  const shown = sha256Hex(text(LEVEL1['bin/api-manager.sh']));
  assert.equal(readdirSync(cache).filter((n) => !n.startsWith('.') && n !== 'checked').sort(), [base, target, shown].sort());
  // Beside the blobs, the verdicts on the two manifests this plan checked (issue 22): apply only parses them.
  assert.is(readdirSync(join(cache, 'checked')).filter((n) => n.endsWith('.json')).length, 2);
  // The repository loses both blobs after planning: apply still has them, verified, from the pack.
  for (const sha of [base, target]) rmSync(blobPath(f.repo, sha));
  const r = await runCli(['apply', plan, '--home', f.home]);
  assert.is(r.code, 3, r.stderr);
  assert.is(readFileSync(join(f.home, `${TOML}.original`), 'utf8'), text(LEVEL0[TOML]));
  assert.is(readFileSync(join(f.home, `${TOML}.new`), 'utf8'), text(LEVEL1[TOML]));
  writeFileSync(join(f.home, `${TOML}.final`), 'resolved = true\n');
  const c = await runCli(['apply', '--continue', '--home', f.home]);
  assert.is(c.code, 0, c.stderr);
  assert.not.ok(existsSync(cache), 'the cache is spent once the update committed');
});

test('apply PLAN --repo MIRROR: the same content elsewhere applies; other content is refused (exit 7), nothing changed', async () => {
  const f = await makeFixture();
  const plan = join(tmpDir(), 'plan.json');
  assert.is((await runCli(['plan', '--home', f.home, '--level', '1', '--out', plan])).code, 0);
  const mirror = join(tmpDir(), 'mirror');
  cpSync(f.repo, mirror, { recursive: true });
  // Another channel: the same product published with other content at level 1.
  const other = await makeFixture([LEVEL0, { ...LEVEL1, 'lib/a.jar': 'jar-a-other' }]);
  const before = full(f.home);
  const bad = await runCli(['apply', plan, '--home', f.home, '--repo', other.repo]);
  assert.is(bad.code, 7, bad.stderr);
  assert.match(bad.stderr, 'not the one the plan was made from');
  assert.equal(snapshotDiff(before, full(f.home)), []);
  renameSync(f.repo, `${f.repo}.gone`); // the plan's own repository is unreachable now
  const ok = await runCli(['apply', plan, '--home', f.home, '--repo', mirror]);
  assert.is(ok.code, 0, ok.stderr);
  assert.is(readFileSync(join(f.home, 'lib/a.jar'), 'utf8'), 'jar-a-v2');
});

test.run();
