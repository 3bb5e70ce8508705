// Hotfixes through the real CLI on a signed channel: publish-hotfix, apply-hotfix (same planner, conflicts at plan
// time), status and WSO2's current-state listing it, revert-hotfix (exit 4, the pack byte-identical to before),
// levels that contain the fix (retired) or not (a conflict the plan shows), tampering (exit 7, nothing changed),
// and bad ids (a clear refusal before anything is read).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { LEVEL0, LEVEL1, PRODUCT, snapshotDiff, writeTree, type TreeSpec } from '../../helpers/pack.js';
import { full, sha } from '../../helpers/plan-edit.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const ID = 'WSO2-HF-2026-0042';
const root = tmpDir('wso2update-hotfix-');
const repo = join(root, 'repo');
const keys = join(root, 'keys');
const ok = async (args: string[], code = 0) => {
  const r = await runCli(args);
  assert.is(r.code, code, `${args.join(' ')}\n${r.stderr}`);
  return r;
};

/** The fix: a patched jar, a new jar, and the removal of a plugin; level 2 ships the same files, level 3 lists the id. */
const FIX: TreeSpec = { 'lib/b.jar': 'jar-b-hotfix', 'lib/hf-extra.jar': 'extra' };
const LEVEL2: TreeSpec = { ...LEVEL1, ...FIX };
const LEVEL3: TreeSpec = { ...LEVEL1, 'lib/b.jar': 'jar-b-v4' };

async function publishLevel(level: number, spec: TreeSpec, notes: Record<string, unknown> = {}): Promise<void> {
  const tree = join(root, `tree-${level}`);
  writeTree(tree, spec);
  const file = join(root, `notes-${level}.yaml`);
  writeFileSync(file, stringify({ title: `Level ${level}`, date: '2026-01-0' + (level + 1), ...notes }));
  await ok(['publish', '--repo', repo, '--product', PRODUCT, '--level', String(level), '--tree', tree, '--notes', file, '--keys', keys]);
}

let homes = 0;
/** A pack at level 0 adopted from the signed repository (its root pinned), optionally customized. */
async function pack(custom: TreeSpec = {}): Promise<string> {
  const home = join(root, `home-${homes++}`);
  cpSync(join(root, 'tree-0'), home, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(home, 'updates'), { recursive: true });
  writeFileSync(join(home, 'updates', 'product.txt'), `${PRODUCT}\n`);
  await ok(['init', '--home', home, '--repo', repo, '--trust-root', join(repo, 'metadata', '1.root.json')]);
  writeTree(home, custom);
  return home;
}

const state = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'));

test('setup: a signed repository with four levels and a hotfix of level 0', async () => {
  await ok(['keygen', '--keys', keys]);
  await publishLevel(0, LEVEL0);
  await publishLevel(1, LEVEL1);
  await publishLevel(2, LEVEL2);
  await publishLevel(3, LEVEL3, { fixes: [{ id: ID, title: 'b.jar rewritten upstream' }] });
  const fix = join(root, 'fix');
  writeTree(fix, { ...FIX, 'lib/a.jar': 'jar-a-v1' }); // a.jar as level 0 ships it: left out of the hotfix
  const r = await ok(['publish-hotfix', '--repo', repo, '--keys', keys, '--product', PRODUCT, '--level', '0', '--id', ID, '--tree', fix,
    '--remove', 'repository/components/old/plugin.jar', '--title', 'b.jar NPE on start', '--date', '2026-02-01', '--json']);
  const out = JSON.parse(r.stdout);
  assert.equal([out.replaced, out.added, out.removed, out.unchangedInTree], [['lib/b.jar'], ['lib/hf-extra.jar'], ['repository/components/old/plugin.jar'], 1]);
  assert.match(r.stderr, /Signed: \d+ targets/);
  const again = await ok(['publish-hotfix', '--repo', repo, '--keys', keys, '--product', PRODUCT, '--level', '0', '--id', ID, '--tree', fix,
    '--remove', 'repository/components/old/plugin.jar', '--title', 'b.jar NPE on start', '--date', '2026-02-01']);
  assert.match(again.stderr, /already published with this content/);
});

test('apply-hotfix -> status and current-state list it -> revert-hotfix exits 4 and the pack is byte-identical to before', async () => {
  const home = await pack();
  const before = full(home);
  const r = await ok(['apply-hotfix', ID, '--home', home, '--yes']);
  assert.match(r.stderr, new RegExp(`Hotfix: +${ID} \\(2026-02-01\\): b.jar NPE on start, on level 0`));
  assert.match(r.stderr, new RegExp(`Applied \\(hotfix ${ID} on level 0\\)`));
  assert.is(readFileSync(join(home, 'lib/b.jar'), 'utf8'), 'jar-b-hotfix');
  assert.is(readFileSync(join(home, 'lib/hf-extra.jar'), 'utf8'), 'extra');
  assert.not.ok(existsSync(join(home, 'repository/components/old/plugin.jar')));
  assert.is(state(home).level, 0);
  for (const args of [['status', '--home', home, '--verify'], ['current-state', '--home', home]]) {
    const s = await ok(args);
    assert.match(s.stderr, new RegExp(`hotfixes applied on level 0 \\(1\\):\\n +${ID}: b.jar NPE on start`), args[0]);
  }
  // The hotfixed files are the pack's base now, not customizations.
  assert.match((await ok(['status', '--home', home, '--verify'])).stderr, / 0 customized, 0 missing/);
  const json = JSON.parse((await ok(['status', '--home', home, '--json'])).stdout);
  assert.equal(json.hotfixes.map((h: { id: string }) => h.id), [ID]);
  assert.match((await ok(['apply-hotfix', ID, '--home', home, '--yes'], 1)).stderr, /already applied/);

  // --dry-run, documented by --help and the README, says what would be undone and changes nothing (it was refused)
  const dry = full(home);
  const preview = await ok(['revert-hotfix', '--home', home, '--dry-run'], 0);
  assert.match(preview.stderr, new RegExp(`Would revert hotfix ${ID}`));
  assert.match(preview.stderr, new RegExp(`Would revert hotfix ${ID} on level 0: 3 files`)); // not "level 0 -> 0"
  assert.equal(snapshotDiff(dry, full(home)), []);
  const back = await ok(['revert-hotfix', '--home', home, '--yes'], 4);
  assert.match(back.stderr, new RegExp(`Reverting hotfix ${ID}`));
  assert.match(back.stderr, new RegExp(`Reverted \\(hotfix ${ID} on level 0\\)`)); // not "level 0 -> 0"
  assert.equal(snapshotDiff(before, full(home)).filter((p) => !p.startsWith('updates/wso2update/')), []);
  assert.equal(state(home).hotfixes, undefined);
  assert.match((await ok(['status', '--home', home])).stderr, /hotfixes: none applied/);
  assert.match((await ok(['revert-hotfix', '--home', home, '--yes'], 1)).stderr, /no hotfix is applied/);
});

test('a hotfix over a customized file: the conflict is in the plan before anything is applied', async () => {
  const home = await pack({ 'lib/b.jar': 'jar-b-patched-by-the-customer' });
  const before = full(home);
  const plan = join(root, 'hf-conflict.plan.json');
  const r = await ok(['apply-hotfix', ID, '--home', home, '--out', plan], 3);
  assert.match(r.stderr, /! conflict +lib\/b\.jar \(a customized binary file/);
  const p = JSON.parse(readFileSync(plan, 'utf8'));
  assert.equal([p.hotfix.id, p.fromLevel, p.toLevel], [ID, 0, 0]);
  assert.equal(p.actions.filter((a: { action: string }) => a.action === 'conflict').map((a: { path: string; reason: string }) => [a.path, a.reason]), [['lib/b.jar', 'binary-customized']]);
  const md = (await ok(['show', plan, '--markdown'])).stdout;
  assert.match(md, new RegExp(`^# Hotfix ${ID} on ${PRODUCT} level 0`));
  assert.match(md, /## Hotfixes\n\n- hotfix WSO2-HF-2026-0042 \(2026-02-01\): b.jar NPE on start, on level 0/);
  assert.equal(snapshotDiff(before, full(home)), []);
  // The reviewed plan applies like any plan: everything else is installed and the conflict waits.
  const applied = await ok(['apply', plan, '--home', home], 3);
  assert.match(applied.stderr, /lib\/b\.jar/);
  assert.is(readFileSync(join(home, 'lib/b.jar.new'), 'utf8'), 'jar-b-hotfix');
  writeFileSync(join(home, 'lib/b.jar.final'), 'jar-b-patched-and-hotfixed');
  await ok(['apply', '--continue', '--home', home]);
  assert.equal(state(home).hotfixes.map((h: { id: string }) => h.id), [ID]);
  // The resolution is the operator's: the file is now a customization on top of the hotfixed base.
  assert.match((await ok(['status', '--home', home, '--verify'])).stderr, /1 customized[\s\S]*lib\/b\.jar/);
});

test('an update to a level that ships the fix retires it; revert brings the hotfix back', async () => {
  const home = await pack();
  await ok(['apply-hotfix', ID, '--home', home, '--yes']);
  const plan = join(root, 'retire.plan.json');
  await ok(['plan', '--home', home, '--level', '2', '--out', plan]);
  const p = JSON.parse(readFileSync(plan, 'utf8'));
  assert.equal(p.hotfixes, [{ id: ID, fate: 'retired', paths: [] }]);
  assert.not.ok(p.actions.some((a: { path: string }) => a.path === 'lib/b.jar' || a.path === 'lib/hf-extra.jar'), 'the fixed files are already as level 2 ships them');
  assert.match((await ok(['show', plan])).stdout, new RegExp(`Hotfix: +${ID}: retired, level 2 contains the fix`));
  await ok(['apply', plan, '--home', home]);
  assert.equal([state(home).level, state(home).hotfixes], [2, undefined]);
  assert.match((await ok(['status', '--home', home, '--verify'])).stderr, /hotfixes: none applied[\s\S]* 0 customized, 0 missing/);
  await ok(['revert', '--home', home, '--yes'], 4);
  assert.equal([state(home).level, state(home).hotfixes.map((h: { id: string }) => h.id)], [0, [ID]]);
  assert.is(readFileSync(join(home, 'lib/b.jar'), 'utf8'), 'jar-b-hotfix');
});

test('a level whose notes list the hotfix id retires it, though it ships other files', async () => {
  const home = await pack();
  await ok(['apply-hotfix', ID, '--home', home, '--yes']);
  const plan = join(root, 'listed.plan.json');
  await ok(['plan', '--home', home, '--level', '3', '--out', plan]);
  const p = JSON.parse(readFileSync(plan, 'utf8'));
  assert.equal(p.hotfixes, [{ id: ID, fate: 'retired', paths: [] }]);
  assert.ok(p.actions.some((a: { path: string; action: string }) => a.path === 'lib/b.jar' && a.action === 'replace'));
});

test('a level that does not contain the fix: each hotfixed file it would undo is a conflict in the plan, never dropped silently', async () => {
  const home = await pack();
  await ok(['apply-hotfix', ID, '--home', home, '--yes']);
  const plan = join(root, 'dropped.plan.json');
  const r = await ok(['plan', '--home', home, '--level', '1', '--out', plan], 3);
  assert.match(r.stderr, new RegExp(`Hotfix: +${ID}: NOT contained in level 1; its 2 files are conflicts \\(lib/b.jar, lib/hf-extra.jar\\)`));
  const p = JSON.parse(readFileSync(plan, 'utf8'));
  assert.equal(p.hotfixes, [{ id: ID, fate: 'not-contained', paths: ['lib/b.jar', 'lib/hf-extra.jar'] }]);
  const conflicts = p.actions.filter((a: { action: string }) => a.action === 'conflict').map((a: { path: string; reason: string }) => [a.path, a.reason]);
  assert.equal(conflicts, [['lib/b.jar', 'hotfix-not-contained'], ['lib/hf-extra.jar', 'hotfix-not-contained']]);
  assert.match((await ok(['show', plan])).stdout, /lib\/b\.jar: an applied hotfix changed this file and the new level does not ship the fix/);
  // Removing the guard from the plan (and recomputing its digest) is refused by apply's re-derivation.
  const { digest: _d, createdAt: _c, ...rest } = p;
  delete rest.hotfixes;
  rest.actions = rest.actions.filter((a: { action: string }) => a.action !== 'conflict');
  rest.summary = { ...rest.summary, conflict: 0 };
  const { planDigest } = await import('../../../src/core/canonical.js');
  const forged = { ...rest, createdAt: p.createdAt, digest: planDigest({ ...rest, createdAt: p.createdAt }) };
  writeFileSync(plan, JSON.stringify(forged));
  const before = full(home);
  assert.is((await runCli(['apply', plan, '--home', home])).code, 7);
  assert.equal(snapshotDiff(before, full(home)), []);
});

test('a mirror carries the hotfix records and their blobs: apply-hotfix from the verified copy', async () => {
  const copy = join(root, 'mirror');
  await ok(['mirror', '--from', repo, '--to', copy, '--trust-root', join(repo, 'metadata', '1.root.json')]);
  const home = await pack();
  await ok(['apply-hotfix', ID, '--home', home, '--repo', copy, '--yes']);
  assert.is(readFileSync(join(home, 'lib/b.jar'), 'utf8'), 'jar-b-hotfix');
});

test('a tampered hotfix record or blob: exit 7 and the pack exactly as it was', async () => {
  const recordDir = join(repo, 'products', PRODUCT, 'hotfixes');
  const hashed = readdirSync(recordDir).find((n) => /^[0-9a-f]{64}\./.test(n)) as string;
  const blob = join(repo, 'blobs', 'sha256', sha('jar-b-hotfix').slice(0, 2), sha('jar-b-hotfix'));
  for (const [file, evil] of [[join(recordDir, hashed), (t: string) => t.replace('b.jar NPE on start', 'b.jar NPE on boot')], [blob, () => 'jar-b-evil!!']] as const) {
    const home = await pack();
    const before = full(home);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, evil(good));
    const r = await runCli(['apply-hotfix', ID, '--home', home, '--yes']);
    writeFileSync(file, good);
    assert.is(r.code, 7, r.stderr);
    assert.match(r.stderr, /sha256|signed/);
    assert.equal(snapshotDiff(before, full(home)), [], file);
  }
});

test('offline: create-hotfix writes the same bytes twice; apply-hotfix FILE on a pack with no channel, verified against its pinned root', async () => {
  const make = (out: string) => ok(['create-hotfix', '--repo', repo, '--product', PRODUCT, '--id', ID, '--out', out, '--trust-root', join(repo, 'metadata', '1.root.json')]);
  const [a, b] = [join(root, 'hf-a.tar'), join(root, 'hf-b.tar')];
  await make(a);
  await make(b);
  assert.ok(readFileSync(a).equals(readFileSync(b)), 'same inputs, same bytes');
  const home = await pack();
  const before = full(home);
  // A tampered blob inside the archive (same length, so the tar itself is well-formed): exit 7, nothing changed.
  const evil = join(root, 'hf-evil.tar');
  writeFileSync(evil, Buffer.from(readFileSync(a).toString('latin1').replace('jar-b-hotfix', 'jar-b-evil!!'), 'latin1'));
  const refused = await runCli(['apply-hotfix', evil, '--home', home, '--yes']);
  assert.is(refused.code, 7, refused.stderr);
  assert.equal(snapshotDiff(before, full(home)), []);
  // The machine has no repository: the channel folder is gone while the archive is applied and reverted.
  const away = `${repo}-away`;
  renameSync(repo, away);
  try {
    // By a bare file name in the folder it sits in, as an operator types it.
    const r = await runCli(['apply-hotfix', 'hf-a.tar', '--home', home, '--yes'], { cwd: root });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`Applied \\(hotfix ${ID} on level 0\\)`));
    assert.is(readFileSync(join(home, 'lib/b.jar'), 'utf8'), 'jar-b-hotfix');
    assert.match((await ok(['current-state', '--home', home])).stderr, new RegExp(`${ID}: b.jar NPE on start`));
    await ok(['revert-hotfix', '--home', home, '--yes'], 4);
    assert.equal(snapshotDiff(before, full(home)).filter((p) => !p.startsWith('updates/wso2update/')), []);
  } finally {
    renameSync(away, repo);
  }
});

test('bad hotfix ids are refused with the pattern, before anything is read or written', async () => {
  const home = await pack();
  const before = full(home);
  for (const id of ['WSO2-HF-26-1', 'wso2-hf-2026-0042', '../WSO2-HF-2026-0042', 'WSO2-HF-2026-0042.json']) {
    const r = await runCli(['publish-hotfix', '--repo', repo, '--keys', keys, '--product', PRODUCT, '--level', '0', '--id', id, '--tree', join(root, 'fix')]);
    assert.is(r.code, 1, id);
    assert.match(r.stderr, /is not a hotfix id[\s\S]*<VENDOR>-HF-<YEAR>-<SERIAL>/);
  }
  const r = await runCli(['apply-hotfix', 'WSO2-HF-26-1', '--home', home, '--yes']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /"WSO2-HF-26-1" is not a hotfix id/);
  const nofile = await runCli(['apply-hotfix', 'hotfix.tar', '--home', home, '--yes']);
  assert.is(nofile.code, 1);
  assert.match(nofile.stderr, /hotfix.tar is neither a hotfix id nor a hotfix archive/);
  const missing = await runCli(['apply-hotfix', 'WSO2-HF-2026-9999', '--home', home, '--yes']);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, new RegExp(`has no hotfix WSO2-HF-2026-9999[\\s\\S]*Published hotfixes: ${ID}`));
  assert.equal(snapshotDiff(before, full(home)), []);
});

test.run();
