// WSO2 habits from issue 17's first day: the tool in a pack's bin/ knows its pack from any folder
// (`/opt/wso2am/bin/wso2update_linux --dry-run` from elsewhere said "not a product home"), and `--dry-run` leaves no
// trace in the pack (it wrote a plan file and cached blobs) unless `--out` asks for the plan.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { installCli, runShell, tmpDir } from '../../helpers/tmp.js';

/** A pack with the CLI under test installed as bin/wso2update_linux, and a folder elsewhere to run from. */
async function linkedPack() {
  const f = await makeFixture();
  installCli(join(f.home, 'bin/wso2update_linux'));
  return { ...f, exe: join(f.home, 'bin/wso2update_linux'), elsewhere: tmpDir('wso2update-elsewhere-') };
}

test('run by its full path from another folder, the tool in a pack\'s bin/ acts on that pack; --home still wins', async () => {
  const p = await linkedPack();
  const status = await runShell(`${p.exe} current-state`, { cwd: p.elsewhere });
  assert.is(status.code, 0, status.stderr);
  assert.match(status.stderr, `wso2am-4.2.0 at level 0 (${p.home})`);
  const other = await makeFixture();
  const given = await runShell(`${p.exe} status --home ${other.home}`, { cwd: p.elsewhere });
  assert.match(given.stderr, `(${other.home})`);
});

test('--dry-run leaves no trace in the pack nor in the current folder; with --out it writes exactly that file', async () => {
  const p = await linkedPack();
  const all = (dir: string) => snapshot(dir, () => false);
  const before = all(p.home);
  for (const cwd of [p.elsewhere, join(p.home, 'bin')]) {
    const r = await runShell(`${p.exe} --dry-run`, { cwd });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, 'level 0 -> 2');
    assert.equal(snapshotDiff(before, all(p.home)), [], `a dry run from ${cwd} changed the pack`);
  }
  assert.equal([...all(p.elsewhere).keys()], []);
  const out = join(p.elsewhere, 'review.plan.json');
  const kept = await runShell(`${p.exe} --dry-run --out ${out}`, { cwd: p.elsewhere });
  assert.is(kept.code, 0, kept.stderr);
  assert.ok(existsSync(out));
  // `plan` itself still writes its file where it always did
  const plan = await runShell(`${p.exe} plan`, { cwd: join(p.home, 'bin') });
  assert.is(plan.code, 0, plan.stderr);
  assert.ok(existsSync(join(p.home, 'updates/wso2update/wso2update.plan.json')));
});

test('hints are written as the tool was run: a stale plan says `./wso2update_linux plan --home ...`, which works pasted', async () => {
  const p = await linkedPack();
  const bin = join(p.home, 'bin');
  const plan = join(p.elsewhere, 'p.json');
  assert.is((await runShell(`./wso2update_linux plan --level 1 --out ${plan}`, { cwd: bin })).code, 0);
  writeFileSync(join(p.home, 'lib/a.jar'), 'patched after planning');
  const stale = await runShell(`./wso2update_linux apply ${plan} --yes`, { cwd: bin });
  assert.is(stale.code, 5, stale.stderr);
  const hint = /Plan again \(`([^`]+)`\)/.exec(stale.stderr)?.[1] ?? '';
  assert.match(hint, `./wso2update_linux plan --home ${p.home}`);
  const again = await runShell(hint, { cwd: bin });
  assert.is(again.code, 3, again.stderr); // it plans again: the patched jar is now a conflict to decide
  assert.match(again.stderr, 'lib/a.jar');
});

test('create-update from an unsigned channel never offers --allow-unsigned, which it does not take', async () => {
  const p = await linkedPack(); // its repository is unsigned
  const r = await runShell(`${p.exe} create-update --repo ${p.repo} --product wso2am-4.2.0 --from 0 --to 1 --out ${join(p.elsewhere, 'b.tar')} --trust-root-sha256 ${'a'.repeat(64)}`, { cwd: p.elsewhere });
  assert.is(r.code, 7, r.stderr);
  assert.not.match(r.stderr, '--allow-unsigned');
  assert.match(r.stderr, 'only ever made from a signed channel');
});

test.run();
