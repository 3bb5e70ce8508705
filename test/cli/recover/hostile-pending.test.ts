// Issue 19, items 1-3: the records of a pending run, forged or torn. A record is checked against the record that
// owns it (apply/record-check.ts): a journal against the state it is pending on and each step against the file it
// moved in; the staged commit of a waiting update against that update's journal; a revert plan against the
// generations the pack keeps. Each forgery is refused with one clear line, and neither the pack (every file,
// records included) nor a sentinel folder outside it changes; the genuine records still work afterwards.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { full } from '../../helpers/plan-edit.js';
import { join } from 'node:path';
import { planDigest } from '../../../src/core/canonical.js';
import type { Plan } from '../../../src/core/model.js';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { runCli, spawnCli, tmpDir } from '../../helpers/tmp.js';

const everything = (dir: string) => snapshot(dir, () => false);
const unchanged = (before: Map<string, string>, home: string) => snapshotDiff(before, everything(home)).filter((d) => !d.startsWith('updates/logs'));
const JOURNAL = 'updates/wso2update/journal.json';
const COMMIT = 'updates/wso2update/staging/commit.json';

function refused(r: Awaited<ReturnType<typeof runCli>>, what: string, code = 1): void {
  assert.is(r.code, code, `${what}: ${r.stderr}`);
  assert.not.match(r.stderr, 'This is a bug', what);
  assert.not.match(r.stderr, /ENOENT|is not iterable|Cannot read properties/, what);
}

async function applyTo(f: Fixture, level: number, code = 0): Promise<void> {
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, level));
  const r = await runCli(['apply', plan, '--home', f.home]);
  assert.is(r.code, code, r.stderr);
}

/** A pack at level 1 (generation g1-0-1 kept), a user file, and a sentinel folder outside it. */
async function atLevel1(): Promise<{ f: Fixture; outside: string }> {
  const f = await makeFixture();
  await applyTo(f, 1);
  writeFileSync(join(f.home, 'repository/conf/user.txt'), 'the operator\'s own notes\n');
  const outside = tmpDir();
  writeFileSync(join(outside, 'precious.txt'), 'not yours\n');
  return { f, outside };
}

function journal(gen: string, steps: Record<string, unknown>[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    formatVersion: 1, planDigest: 'a'.repeat(64), generation: gen, direction: 'update', product: 'wso2am-4.2.0', fromLevel: 1, toLevel: 2,
    phase: 'swapping', resolveSteps: [], conflicts: [], ...extra,
    steps: steps.map((s) => ({ aside: false, src: null, created: null, discardTo: null, pruned: null, ...s })),
  });
}

test('item 1: a forged journal cannot make recover delete a user\'s file, or a kept generation; nothing changes and nothing is left', async () => {
  const { f, outside } = await atLevel1();
  const ino = (rel: string) => lstatSync(join(f.home, rel)).ino;
  const cases: [string, string, RegExp][] = [
    ['a step "moving in" a user file', journal('g2-1-2', [{ path: 'repository/conf/user.txt', src: '0' }]), /did not put there: repository\/conf\/user\.txt/],
    ['the same, naming a wrong inode', journal('g2-1-2', [{ path: 'repository/conf/user.txt', src: '0', ino: ino('lib/a.jar') }]), /did not put there: repository\/conf\/user\.txt/],
    ['a shipped file the run never replaced', journal('g2-1-2', [{ path: 'lib/a.jar', src: '3', aside: true }]), /did not put there: lib\/a\.jar/],
    ['a kept generation as its own', journal('g1-0-1', [{ path: 'lib/a.jar', aside: true }]), /generation g1-0-1 is not the next one .*already kept/],
    ['a generation of another serial', journal('g7-1-2', [{ path: 'lib/a.jar', aside: true }]), /generation g7-1-2 is not the next one/],
    ['another level', journal('g2-1-2', [], { fromLevel: 0 }), /starts from level 0, the pack is at level 1/],
    ['another product', journal('g2-1-2', [], { product: 'wso2is-7.0.0' }), /is for wso2is-7\.0\.0/],
  ];
  for (const [name, text, re] of cases) {
    writeFileSync(join(f.home, JOURNAL), text);
    const [before, outBefore] = [everything(f.home), everything(outside)];
    for (const cmd of [['recover'], ['revert', '--yes'], ['apply', '--continue']]) {
      const r = await runCli([...cmd, '--home', f.home]);
      if (cmd[0] === 'recover') {
        refused(r, `${name}: recover`);
        assert.match(r.stderr, re, `${name}: ${r.stderr}`);
      } else {
        assert.ok(r.code !== 0, `${name}: ${cmd[0]} ran: ${r.stderr}`);
        assert.not.match(r.stderr, 'This is a bug', `${name}: ${cmd[0]}`);
      }
      assert.equal(unchanged(before, f.home), [], `${name}: ${cmd[0]} changed the pack`);
    }
    assert.equal(snapshotDiff(outBefore, everything(outside)), [], name);
    assert.is(readFileSync(join(f.home, 'repository/conf/user.txt'), 'utf8'), 'the operator\'s own notes\n');
    assert.ok(existsSync(join(f.home, 'updates/wso2update/generations/g1-0-1/generation.json')), `${name}: the kept generation went`);
    assert.not.ok(existsSync(join(f.home, 'updates/wso2update/staging')), `${name}: staging/ was left`);
  }
  rmSync(join(f.home, JOURNAL));
  const r = await runCli(['revert', '--yes', '--home', f.home]);
  assert.is(r.code, 4, `the kept history still reverts: ${r.stderr}`);
  console.log(`pending records: ${cases.length} forged journals refused by recover, revert and --continue`);
});

/** A pack at level 1 whose update to level 2 waits on a conflict (lib/a.jar edited), with its .final written. */
async function waiting(): Promise<Fixture> {
  const f = await makeFixture();
  await applyTo(f, 1);
  writeFileSync(join(f.home, 'lib/a.jar'), 'mine');
  await applyTo(f, 2, 3);
  writeFileSync(join(f.home, 'lib/a.jar.final'), 'resolved');
  return f;
}

type Commit = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const COMMIT_FORGERIES: [string, (c: Commit) => void, RegExp][] = [
  ['the generation of an older update (g1-0-1)', (c) => { c.generation.id = 'g1-0-1'; c.state.generations.at(-1).id = 'g1-0-1'; }, /generation \(g1-0-1, 1 -> 2\) is not the waiting update's \(g2-1-2/],
  ['another level', (c) => { c.state.level = 7; }, /level 7, serial 2\) is not level 2 at serial 2/],
  ['another lineage', (c) => { c.state.lineage = '00000000-0000-4000-8000-000000000000'; }, /changes "lineage"/],
  ['another product', (c) => { c.state.product = 'wso2is-7.0.0'; }, /changes "product"/],
  ['an older serial', (c) => { c.state.serial = 1; }, /is not level 2 at serial 2/],
  ['a kept generation rewritten', (c) => { c.state.generations[0].toLevel = 9; }, /does not record the kept generations/],
  ['a dropped generation the pack never kept', (c) => { c.drop = ['g0-0-0']; }, /drop names a generation the pack does not keep/],
  ['a manifest with a file more', (c) => { c.manifest.files['lib/evil.jar'] = { kind: 'file', sha256: 'b'.repeat(64), size: 1, mode: '0644' }; }, /its manifest is not level 2/],
  ['changelog {}', (c) => { c.changelog = {}; }, /changelog must list paths/],
  ['changelog.conflicts [null]', (c) => { c.changelog.conflicts = [null]; }, /changelog must list paths/],
  ['changelog.added [1]', (c) => { c.changelog.added = [1]; }, /changelog must list paths/],
];

test('item 2: a forged or missing staged commit is refused by --continue and by revert; the genuine one still completes', async () => {
  const f = await waiting();
  const genuine = readFileSync(join(f.home, COMMIT), 'utf8');
  for (const [name, forge, re] of COMMIT_FORGERIES) {
    const c = JSON.parse(genuine) as Commit;
    forge(c);
    writeFileSync(join(f.home, COMMIT), JSON.stringify(c));
    const before = everything(f.home);
    for (const cmd of [['apply', '--continue'], ['revert', '--yes']]) {
      const r = await runCli([...cmd, '--home', f.home]);
      refused(r, `${name}: ${cmd[0]}`);
      assert.match(r.stderr, re, `${name}: ${cmd[0]}: ${r.stderr}`);
      assert.equal(unchanged(before, f.home), [], `${name}: ${cmd[0]} changed the pack`);
    }
  }
  rmSync(join(f.home, COMMIT));
  const before = everything(f.home);
  for (const cmd of [['apply', '--continue'], ['revert', '--yes']]) {
    const r = await runCli([...cmd, '--home', f.home]);
    refused(r, `a missing commit.json: ${cmd[0]}`);
    assert.match(r.stderr, /commit\.json: is missing/);
    assert.equal(unchanged(before, f.home), []);
  }
  writeFileSync(join(f.home, COMMIT), genuine);
  const done = await runCli(['apply', '--continue', '--home', f.home]);
  assert.is(done.code, 0, done.stderr);
  const state = JSON.parse(readFileSync(join(f.home, 'updates/wso2update/state.json'), 'utf8')) as { generations: { id: string }[] };
  assert.equal(state.generations.map((g) => g.id), ['g1-0-1', 'g2-1-2']);
  // The history is whole: back to level 1, then (lib/a.jar is the operator's edit there, hence --force) to level 0.
  for (const args of [['revert', '--yes'], ['revert', '--yes', '--force']]) {
    const r = await runCli([...args, '--home', f.home]);
    assert.is(r.code, 4, `${args.join(' ')}: ${r.stderr}`);
  }
  console.log(`pending records: ${COMMIT_FORGERIES.length + 1} forged staged commits refused by --continue and revert`);
});

test('item 3: an update plan turned into a revert plan (digest recomputed) is refused as stale on a pack without that generation', async () => {
  for (const applied of [false, true]) {
    const f = await makeFixture();
    if (applied) await applyTo(f, 1);
    const plan = await makeTestPlan(f, applied ? 2 : 1);
    const gen = applied ? 'g9-0-1' : 'g1-0-1';
    const forgeries: [string, Partial<Plan>, number, RegExp][] = [
      [`revert of ${gen}`, { direction: 'revert', revert: { generation: gen } } as Partial<Plan>, 5,
        new RegExp(`the revert plan undoes ${gen}, but ${applied ? "the pack's latest kept update is g1-0-1" : 'the pack keeps no update it could revert'}`)],
      ['revert of no generation', { direction: 'revert', revert: { generation: 'g1-0-1', generations: [] } } as Partial<Plan>, 1, /revert\.generations must NOT have fewer than 1 items/],
    ];
    for (const [name, change, code, re] of forgeries) {
      const forged = { ...plan, ...change } as Plan;
      forged.digest = planDigest(forged);
      const file = join(tmpDir(), 'plan.json');
      writeFileSync(file, JSON.stringify(forged));
      const before = everything(f.home);
      const r = await runCli(['apply', file, '--yes', '--home', f.home]);
      refused(r, `${name} (${applied ? 'a pack at level 1' : 'a fresh pack'})`, code);
      assert.match(r.stderr, re);
      assert.equal(unchanged(before, f.home), [], name);
    }
  }
});

test('torn: a kill between the two renames of the state record\'s own step (no state.json at all) is still recovered to exactly before', async () => {
  const f = await makeFixture();
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const before = full(f.home);
  const marker = join(tmpDir(), 'paused');
  const child = spawnCli(['apply', plan, '--home', f.home], {
    env: { ...process.env, CI: '1', WSO2UPDATE_TEST_PAUSE_AT_STEP: '1', WSO2UPDATE_TEST_PAUSE_MARKER: marker }, stdio: 'ignore',
  });
  const closed = new Promise((r) => child.on('close', r));
  while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  await closed;
  // The journal is written, no step ran; now the state step's first half: state.json moved aside, the new one not in.
  const j = JSON.parse(readFileSync(join(f.home, JOURNAL), 'utf8')) as { generation: string };
  const STATE = 'updates/wso2update/state.json';
  renameSync(join(f.home, STATE), join(f.home, 'updates/wso2update/generations', j.generation, 'files', STATE));
  const r = await runCli(['recover', '--home', f.home]);
  assert.is(r.code, 0, r.stderr);
  // As apply-crash.test.ts compares: an emptied generations/ folder is no part of the pack's state.
  const gensEmpty = (d: string) => d !== 'updates/wso2update/generations' || readdirSync(join(f.home, d)).length > 0;
  assert.equal(snapshotDiff(before, full(f.home)).filter(gensEmpty), []);
});

test.run();
