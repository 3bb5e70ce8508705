// Review regressions in the applier: a tampered plan's content checked by applyPlan itself (not only by the CLI);
// a user's own file named like a conflict helper (<path>.original/.new/.final) refused before any write; the
// stricter group/other bits of a file an operator locked down (chmod 600) survive a replace, merge, chmod or .final;
// revert of an update that waits on conflicts no longer deletes an edit made to a file the update wrote; a rollback
// that fails while cleaning up leaves nothing that makes `recover` undo it a second time.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { hardenedMode } from '../../src/apply/modes.js';
import { continueApply } from '../../src/apply/resolve.js';
import { revertOnce } from '../../src/apply/revert.js';
import { realFs, type FsOps } from '../../src/io/fsops.js';
import { openPack } from '../../src/io/pack.js';
import { errnoError, withFaults } from '../helpers/faults.js';
import { recover } from '../../src/apply/recover.js';
import { readJournal } from '../../src/io/pending-run.js';
import { readState } from '../../src/io/state.js';
import { planDigest } from '../../src/core/canonical.js';
import type { Action } from '../../src/core/model.js';
import { writePlan } from '../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../helpers/pack.js';
import { runCli, tmpDir } from '../helpers/tmp.js';

const NOW = new Date('2024-02-01T10:00:00Z');
const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r.startsWith('updates/logs'));
const sha = (b: string) => createHash('sha256').update(b).digest('hex');

/** A plan whose lib/a.jar replace installs level 0's jar (a blob the repository has) under level 1's name. */
async function downgradePlan(f: Awaited<ReturnType<typeof makeFixture>>) {
  const p = await makeTestPlan(f, 1);
  const a = p.actions.find((x) => x.path === 'lib/a.jar') as Extract<Action, { action: 'replace' }>;
  a.after = { kind: 'file', sha256: sha('jar-a-v1'), size: 8, mode: '0644' };
  p.digest = planDigest(p);
  return p;
}

test('R4: applyPlan refuses an action whose content is not the target manifest\'s (digest recomputed), nothing changed', async () => {
  const f = await makeFixture();
  const before = full(f.home);
  const err = await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await downgradePlan(f), now: NOW }).catch((e) => e);
  assert.is(err?.code, 'verification', String(err));
  assert.match(err.message, 'not what levels 0 and 1 ship');
  assert.match(err.detail, 'lib/a.jar');
  assert.equal(snapshotDiff(before, full(f.home)), []);
});

test('R4: the CLI still refuses it (exit 7) and show renders it', async () => {
  const f = await makeFixture();
  const file = join(tmpDir(), 'plan.json');
  await writePlan(file, await downgradePlan(f));
  assert.is((await runCli(['show', file])).code, 0);
  const r = await runCli(['apply', file, '--home', f.home]);
  assert.is(r.code, 7, r.stderr);
  assert.is(readFileSync(join(f.home, 'lib/a.jar'), 'utf8'), 'jar-a-v1');
});

const OLD = 'kept from an old WSO2 update\n';

test('R2: a user file at a helper name of a conflicted path: apply refuses before any write, naming it', async () => {
  for (const suffix of ['.original', '.new', '.final']) {
    const f = await makeFixture(undefined, { 'lib/a.jar': 'mine', [`lib/a.jar${suffix}`]: OLD });
    const before = full(f.home);
    const err = await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW }).catch((e) => e);
    assert.is(err?.code, 'usage', `${suffix}: ${String(err)}`);
    assert.equal(err.paths, [`lib/a.jar${suffix}`], suffix);
    assert.match(err.hint, 'Move', suffix);
    assert.equal(snapshotDiff(before, full(f.home)), [], suffix);
  }
});

test('R2: once moved away, the update waits and --continue completes; the user\'s file is untouched', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'mine', 'lib/a.jar.original': OLD });
  mkdirSync(join(f.home, 'backup'));
  renameSync(join(f.home, 'lib/a.jar.original'), join(f.home, 'backup/a.jar.original'));
  assert.is((await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW })).status, 'conflicts');
  writeFileSync(join(f.home, 'lib/a.jar.final'), 'resolved');
  assert.is((await continueApply(openPack(f.home, realFs))).status, 'applied');
  assert.is(readFileSync(join(f.home, 'lib/a.jar'), 'utf8'), 'resolved');
  for (const h of ['.original', '.new', '.final']) assert.not.ok(existsSync(join(f.home, `lib/a.jar${h}`)), h);
  assert.is(readFileSync(join(f.home, 'backup/a.jar.original'), 'utf8'), OLD);
});

test('R2: the CLI exits 1 naming the file and saying to move it; a later --continue never sees it', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'mine', 'lib/a.jar.original': OLD });
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const r = await runCli(['apply', plan, '--home', f.home]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'lib/a.jar.original');
  assert.is((await runCli(['apply', '--continue', '--home', f.home])).code, 1); // nothing waits
  assert.is(readFileSync(join(f.home, 'lib/a.jar.original'), 'utf8'), OLD);
});

const modeAt = (home: string, rel: string) => statSync(join(home, rel)).mode & 0o777;

test('R3: hardenedMode keeps the installed file\'s stricter group/other bits (table)', () => {
  const cases: [number, number | null, number][] = [
    [0o644, null, 0o644], // nothing installed: the target's mode
    [0o644, 0o600, 0o600],
    [0o644, 0o640, 0o640],
    [0o755, 0o600, 0o700], // exec dropped where read went
    [0o755, 0o640, 0o750],
    [0o755, 0o711, 0o700], // group/other exec goes with their read bit
    [0o644, 0o666, 0o644], // never looser than the target
    [0o755, 0o755, 0o755],
    [0o644, 0o604, 0o604],
  ];
  for (const [target, installed, want] of cases) {
    assert.is(hardenedMode(target, installed).toString(8), want.toString(8), `${target.toString(8)} over ${installed?.toString(8)}`);
  }
});

const TOML = 'repository/conf/deployment.toml';
const tomlText = (host: string, url: string) => `[server]\nhostname = "${host}"\noffset = 0\n\n[database]\nurl = "${url}"\n`;

test('R3: replace, merge and chmod keep an operator\'s restrictive mode; added files get the target\'s; revert restores', async () => {
  // [what the operator has at deployment.toml, the action level 1 takes there]
  const cases: [string, string][] = [[tomlText('localhost', 'jdbc:h2'), 'replace'], [tomlText('myhost', 'jdbc:h2'), 'merge']];
  for (const [text, kind] of cases) {
    const f = await makeFixture(undefined, { [TOML]: { text, mode: 0o600 }, 'bin/tool.sh': { text: '#!/bin/sh\necho tool\n', mode: 0o640 } });
    const before = snapshot(f.home); // the pack without our own records (state serial, generations)
    const plan = await makeTestPlan(f, 1);
    assert.is(plan.actions.find((a) => a.path === TOML)?.action, kind);
    assert.is(plan.actions.find((a) => a.path === 'bin/tool.sh')?.action, 'chmod');
    await applyPlan({ owner: OWNER, pack: openPack(f.home), plan, now: NOW });
    assert.match(readFileSync(join(f.home, TOML), 'utf8'), 'jdbc:h2:v2', kind);
    assert.is(modeAt(f.home, TOML).toString(8), '600', kind);
    assert.is(modeAt(f.home, 'bin/tool.sh').toString(8), '750', kind);
    assert.is(modeAt(f.home, 'lib/c.jar').toString(8), '644', kind);
    assert.is(modeAt(f.home, 'bin/api-manager.sh').toString(8), '755', kind);
    await revertOnce(openPack(f.home, realFs), { force: false, now: NOW });
    assert.equal(snapshotDiff(before, snapshot(f.home)), [], kind);
  }
});

test('R3: a .final installed by --continue keeps the restrictive mode of the file it resolves', async () => {
  const f = await makeFixture(undefined, { [TOML]: { text: tomlText('localhost', 'jdbc:mysql'), mode: 0o600 } });
  assert.is((await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW })).status, 'conflicts');
  writeFileSync(join(f.home, `${TOML}.final`), tomlText('localhost', 'jdbc:mysql:v2'));
  chmodSync(join(f.home, `${TOML}.final`), 0o644);
  await continueApply(openPack(f.home, realFs));
  assert.is(readFileSync(join(f.home, TOML), 'utf8'), tomlText('localhost', 'jdbc:mysql:v2'));
  assert.is(modeAt(f.home, TOML).toString(8), '600');
});

const HOTFIX = '#!/bin/sh\necho hotfixed by operator\n';
const waitingFixture = () => makeFixture(undefined, { 'lib/a.jar': 'mine' }); // a.jar conflicts; the rest applies

test('R1: while conflicts wait, revert refuses (stale) to lose an edit to a file the update wrote, changing nothing', async () => {
  // [what the operator does while deciding, the paths revert must name]
  const edits: [string, (home: string) => void, string[]][] = [
    ['edits a file the update replaced', (h) => writeFileSync(join(h, 'bin/api-manager.sh'), HOTFIX), ['bin/api-manager.sh']],
    ['edits a file the update added', (h) => writeFileSync(join(h, 'lib/c.jar'), 'patched c'), ['lib/c.jar']],
    ['puts a file back where the update removed one', (h) => writeFileSync(join(h, 'repository/components/old/plugin.jar'), 'mine'), ['repository/components/old/plugin.jar']],
  ];
  for (const [name, edit, paths] of edits) {
    const f = await waitingFixture();
    await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
    edit(f.home);
    const waiting = full(f.home);
    const err = await revertOnce(openPack(f.home, realFs), { force: false, now: NOW }).catch((e) => e);
    assert.is(err?.code, 'stale-plan', `${name}: ${String(err)}`);
    assert.equal(err.paths, paths, name);
    assert.match(err.hint, '--force', name);
    assert.equal(snapshotDiff(waiting, full(f.home)), [], name);
  }
});

test('R1: edits to the helper files are not drift: revert from the waiting state is exactly before', async () => {
  const f = await waitingFixture();
  const before = snapshot(f.home);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  writeFileSync(join(f.home, 'lib/a.jar.new'), 'scribbled on');
  writeFileSync(join(f.home, 'lib/a.jar.final'), 'half done');
  const out = await revertOnce(openPack(f.home, realFs), { force: false, now: NOW });
  assert.equal(out.drifted, []);
  assert.equal(snapshotDiff(before, snapshot(f.home)), ['lib/a.jar.final']); // the user's own draft stays
  assert.is(await readJournal(openPack(f.home)), null);
});

test('R1: --force rolls the waiting update back and keeps each edited file in a new generation', async () => {
  const f = await waitingFixture();
  const before = snapshot(f.home);
  const serial = (await readState(openPack(f.home))).serial;
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  writeFileSync(join(f.home, 'bin/api-manager.sh'), HOTFIX);
  writeFileSync(join(f.home, 'repository/components/old/plugin.jar'), 'mine');
  const out = await revertOnce(openPack(f.home, realFs), { force: true, now: NOW });
  assert.equal(out.drifted, ['bin/api-manager.sh', 'repository/components/old/plugin.jar']);
  assert.equal(snapshotDiff(before, snapshot(f.home)), []);
  assert.is(await readJournal(openPack(f.home)), null);
  const state = await readState(openPack(f.home));
  assert.is(state.level, 0);
  assert.is(state.serial, serial + 1);
  assert.equal(state.generations.map((g) => [g.id, g.direction]), [[out.generation, 'revert']]);
  const kept = join(f.home, 'updates/wso2update/generations', out.generation, 'files');
  assert.is(readFileSync(join(kept, 'bin/api-manager.sh'), 'utf8'), HOTFIX);
  assert.is(readFileSync(join(kept, 'repository/components/old/plugin.jar'), 'utf8'), 'mine');
  assert.not.ok(existsSync(join(f.home, 'updates/wso2update/staging')));
});

test('R1: the CLI exits 5 naming the edited file and keeps it; --force exits 4 and says where it is kept', async () => {
  const f = await waitingFixture();
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  assert.is((await runCli(['apply', plan, '--home', f.home])).code, 3);
  writeFileSync(join(f.home, 'bin/api-manager.sh'), HOTFIX);
  const r = await runCli(['revert', '--home', f.home, '--yes']);
  assert.is(r.code, 5, r.stderr);
  assert.match(r.stderr, 'bin/api-manager.sh');
  assert.is(readFileSync(join(f.home, 'bin/api-manager.sh'), 'utf8'), HOTFIX);
  const forced = await runCli(['revert', '--home', f.home, '--yes', '--force']);
  assert.is(forced.code, 4, forced.stderr);
  assert.match(forced.stderr, 'bin/api-manager.sh');
  assert.is(readFileSync(join(f.home, 'bin/api-manager.sh'), 'utf8'), '#!/bin/sh\necho start\n');
});

/** The operator's edit is still in the pack, or kept in a generation that state.json names. */
async function hotfixKept(home: string): Promise<boolean> {
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null);
  if (read(join(home, 'bin/api-manager.sh')) === HOTFIX) return true;
  const gens = (await readState(openPack(home))).generations;
  return gens.some((g) => read(join(home, 'updates/wso2update/generations', g.id, 'files/bin/api-manager.sh')) === HOTFIX);
}

test('R1: a forced rollback failing at any file-system operation never loses the edit; running it again ends exactly before', async () => {
  const f = await waitingFixture();
  const before = snapshot(f.home);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  writeFileSync(join(f.home, 'bin/api-manager.sh'), HOTFIX);
  const fresh = () => {
    const home = join(tmpDir(), 'home');
    cpSync(f.home, home, { recursive: true, verbatimSymlinks: true });
    return home;
  };
  const probe = withFaults(realFs);
  await revertOnce(openPack(fresh(), probe), { force: true, now: NOW });
  const total = probe.calls();
  assert.ok(total > 20, `only ${total} operations`);
  let failed = 0;
  for (let n = 1; n <= total; n++) {
    const home = fresh();
    const ops = withFaults(realFs, { failAt: n, code: n % 2 ? 'EIO' : 'ENOSPC' });
    const err = await revertOnce(openPack(home, ops), { force: true, now: NOW }).then(() => null, (e: Error) => e);
    const at = `fault at op ${n} (${ops.log[n - 1]})`;
    assert.ok(await hotfixKept(home), `${at}: the edit is lost (${err?.message})`);
    if (err !== null) {
      failed += 1;
      if ((await readJournal(openPack(home))) !== null) await revertOnce(openPack(home, realFs), { force: true, now: NOW });
    }
    assert.equal(snapshotDiff(before, snapshot(home)), [], at);
    assert.ok(await hotfixKept(home), `${at}: the edit is lost after the second run`);
    assert.is(await readJournal(openPack(home)), null, at);
  }
  assert.ok(failed > 0);
  console.log(`forced waiting-revert sweep: ${total} operations failed in turn; ${failed} failed and were run again, ${total - failed} completed`);
});

test('a rollback whose cleanup fails (staging gone, the generation not): recover leaves the pack exactly before', async () => {
  const f = await makeFixture();
  const before = snapshot(f.home);
  let renames = 0;
  // The third swap fails, then the rollback cannot remove the generation folder (a second, independent failure).
  const ops: FsOps = {
    ...realFs,
    rename: async (a, b) => { if (a.includes('/staging/') && ++renames === 3) throw errnoError('EIO', 'rename', a); return realFs.rename(a, b); },
    rmTree: async (p) => { if (renames >= 3 && p.includes('/generations/g1-')) throw errnoError('EIO', 'rmTree', p); return realFs.rmTree(p); },
  };
  const err = await applyPlan({ owner: OWNER, pack: openPack(f.home, ops), plan: await makeTestPlan(f, 1), now: NOW }).catch((e) => e);
  assert.match(String(err?.message), 'injected fault');
  assert.equal(snapshotDiff(before, snapshot(f.home)), []);
  await recover(openPack(f.home, realFs));
  assert.equal(snapshotDiff(before, snapshot(f.home)), []);
  assert.is(await readJournal(openPack(f.home)), null);
  assert.not.ok(existsSync(join(f.home, 'updates/wso2update/staging')));
});

test.run();
