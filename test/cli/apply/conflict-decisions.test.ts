// Every kind of conflict has a per-file way out, said in the message itself: keep yours, take the update's, and
// where one side has no file, "no file" (FILE.absent). Issue 17: a level that removes a customized file offered only
// `cp FILE.new FILE.final` (there is no .new) and an empty .final installed a 0-byte "user file"; a file the user has
// not (a hotfix removed it, or it was deleted) and the level ships again could not be kept absent at all.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { runCli } from '../../helpers/tmp.js';

const REMOVED = 'repository/components/old/plugin.jar'; // level 1 removes it
const GONE = 'bin/api-manager.sh'; // level 1 changes it; the user deleted it (as a hotfix removal leaves it)
const BOTH = 'lib/a.jar';
const full = (home: string) => snapshot(home, (r) => r === 'updates' || r === 'wso2carbon.pid');

async function waitingPack() {
  const f = await makeFixture(undefined, { [REMOVED]: 'my-plugin-build', [BOTH]: 'my-patched-jar' });
  rmSync(join(f.home, GONE));
  const before = full(f.home);
  const r = await runCli(['apply', '--home', f.home, '--yes', '--level', '1']);
  assert.is(r.code, 3, r.stderr);
  return { ...f, before, first: r };
}

test('the message names each kind and the command for each way out; `.absent` takes a removal and keeps an absence', async () => {
  const p = await waitingPack();
  const err = p.first.stderr;
  assert.match(err, `${REMOVED}  (level 1 removes it`);
  assert.match(err, `${GONE}  (you have no file here; level 1 ships one)`);
  assert.match(err, "take the update's:  touch FILE.absent");
  assert.match(err, 'keep yours (none):  touch FILE.absent');
  assert.match(err, "take the update's:  cp FILE.new FILE.final");
  assert.not.ok(existsSync(join(p.home, `${REMOVED}.new`)), 'a removal has no .new');
  // recover and status repeat the same ways out while the update waits
  const rec = await runCli(['recover', '--home', p.home]);
  assert.is(rec.code, 3, rec.stderr);
  assert.match(rec.stderr, "take the update's:  touch FILE.absent");
  assert.match((await runCli(['status', '--home', p.home])).stderr, '<file>.absent');

  writeFileSync(join(p.home, `${BOTH}.final`), 'merged-jar');
  writeFileSync(join(p.home, `${REMOVED}.absent`), '');
  writeFileSync(join(p.home, `${GONE}.absent`), '');
  const done = await runCli(['apply', '--continue', '--home', p.home]);
  assert.is(done.code, 0, done.stderr);
  assert.not.ok(existsSync(join(p.home, REMOVED)), 'the removal was taken');
  assert.not.ok(existsSync(join(p.home, GONE)), 'the absence was kept');
  for (const helper of [`${REMOVED}.absent`, `${REMOVED}.original`, `${GONE}.absent`, `${GONE}.new`, `${GONE}.original`, `${BOTH}.final`]) {
    assert.not.ok(existsSync(join(p.home, helper)), helper);
  }
  const verify = await runCli(['status', '--home', p.home, '--verify', '--json']);
  const report = JSON.parse(verify.stdout).verify;
  assert.not.ok(report.userFiles.includes(REMOVED), 'no 0-byte user file is left where the level removed one');
  assert.ok(report.missing.includes(GONE), 'the kept absence is reported as missing, as it is');
  // revert brings the user's customized file back from the generation: exactly as before the update
  const rev = await runCli(['revert', '--home', p.home, '--yes']);
  assert.is(rev.code, 4, rev.stderr);
  assert.equal(snapshotDiff(p.before, full(p.home)), []);
  assert.is(readFileSync(join(p.home, REMOVED), 'utf8'), 'my-plugin-build');
});

test('keep yours of a removal is `cp FILE FILE.final`: the file stays, outside the manifest (a user file)', async () => {
  const p = await waitingPack();
  writeFileSync(join(p.home, `${BOTH}.final`), readFileSync(join(p.home, `${BOTH}.new`)));
  writeFileSync(join(p.home, `${REMOVED}.final`), readFileSync(join(p.home, REMOVED)));
  writeFileSync(join(p.home, `${GONE}.final`), readFileSync(join(p.home, `${GONE}.new`)));
  const done = await runCli(['apply', '--continue', '--home', p.home]);
  assert.is(done.code, 0, done.stderr);
  assert.is(readFileSync(join(p.home, REMOVED), 'utf8'), 'my-plugin-build');
  assert.is(readFileSync(join(p.home, BOTH), 'utf8'), 'jar-a-v2');
  assert.match(readFileSync(join(p.home, GONE), 'utf8'), 'echo start v2');
});

test('both FILE.final and FILE.absent for one conflict: refused by name, exit 3, nothing changed', async () => {
  const p = await waitingPack();
  writeFileSync(join(p.home, `${BOTH}.final`), 'x');
  writeFileSync(join(p.home, `${REMOVED}.final`), 'mine');
  writeFileSync(join(p.home, `${REMOVED}.absent`), '');
  writeFileSync(join(p.home, `${GONE}.absent`), '');
  const snap = snapshot(p.home, () => false);
  const r = await runCli(['apply', '--continue', '--home', p.home]);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, `${REMOVED}.final, ${REMOVED}.absent`);
  assert.equal(snapshotDiff(snap, snapshot(p.home, (x) => x.startsWith('updates/logs'))).filter((x) => !x.startsWith('updates/logs')), []);
});

test('a user file already named FILE.absent beside a conflict is refused before anything is written', async () => {
  const f = await makeFixture(undefined, { [REMOVED]: 'my-plugin-build', [`${REMOVED}.absent`]: 'mine, from before' });
  const before = full(f.home);
  const r = await runCli(['apply', '--home', f.home, '--yes', '--level', '1']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `${REMOVED}.absent`);
  assert.equal(snapshotDiff(before, full(f.home)), []);
});

test('take-theirs of a removal reads as a removal in show, not "the update\'s is installed"', async () => {
  const f = await makeFixture(undefined, { [REMOVED]: 'my-plugin-build' });
  const out = join(f.home, '..', 'plan.json');
  assert.is((await runCli(['plan', '--home', f.home, '--level', '1', '--on-conflict', 'take-theirs', '--out', out])).code, 0);
  const shown = await runCli(['show', out]);
  assert.match(shown.stdout + shown.stderr, `${REMOVED} (`);
  assert.match(shown.stdout + shown.stderr, 'the update removes it (yours is kept in the generation)');
  assert.not.match(shown.stdout + shown.stderr, "the update's is installed");
});

test.run();
