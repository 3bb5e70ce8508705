// Families 3 and 4 (issue 7): the pack's own records are input like any other, and the tool's folders are checked
// before the first write of a run. Forged state.json, journal.json and generation records (ids `.`/`..`, steps
// with `..`, into updates/wso2update or through a symlinked folder), a kept copy changed since it was kept, a
// generation folder turned into a symlink or a missing generation record: each is refused with a clear message,
// and nothing inside or outside the pack is written, moved or deleted. With updates/wso2update, its staging or
// generations, or updates/logs a symlink to a folder outside, apply refuses before the lock or the log are written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const everything = (dir: string) => snapshot(dir, () => false);
const STATE = 'updates/wso2update/state.json';
const JOURNAL = 'updates/wso2update/journal.json';

/** A pack with one applied update (a kept generation), plus a folder outside it with a file that must survive. */
async function applied(): Promise<{ f: Fixture; outside: string; gen: string }> {
  const f = await makeFixture();
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const r = await runCli(['apply', plan, '--home', f.home]);
  assert.is(r.code, 0, r.stderr);
  const outside = tmpDir();
  writeFileSync(join(outside, 'precious.txt'), 'not yours\n');
  const state = JSON.parse(readFileSync(join(f.home, STATE), 'utf8')) as { generations: { id: string }[] };
  return { f, outside, gen: state.generations[0].id };
}

function refusedCleanly(r: Awaited<ReturnType<typeof runCli>>, what: string, code = 1): void {
  assert.is(r.code, code, `${what}: ${r.stderr}`);
  assert.not.match(r.stderr, 'This is a bug', what);
  assert.ok(r.stderr.split('\n')[0].length < 700, `${what}: headline of ${r.stderr.split('\n')[0].length} characters`);
}

const STATE_FORGERIES: [string, (s: { generations: { id: string }[] }) => void][] = [
  ['generation id ".."', (s) => { s.generations[0].id = '..'; }],
  ['generation id "."', (s) => { s.generations[0].id = '.'; }],
  ['generation id ".hidden"', (s) => { s.generations[0].id = '.hidden'; }],
];

test('a forged state.json (generation ids . .. .hidden) is refused by revert, recover and apply; nothing is deleted', async () => {
  for (const [name, forge] of STATE_FORGERIES) {
    const { f } = await applied();
    const state = JSON.parse(readFileSync(join(f.home, STATE), 'utf8'));
    forge(state);
    writeFileSync(join(f.home, STATE), JSON.stringify(state));
    const before = everything(f.home);
    for (const cmd of [['revert', '--yes'], ['recover'], ['status']]) {
      const r = await runCli([...cmd, '--home', f.home]);
      refusedCleanly(r, `${name}, ${cmd[0]}`);
      assert.match(r.stderr, 'state.json');
    }
    assert.equal(snapshotDiff(before, everything(f.home)).filter((d) => !d.startsWith('updates/logs')), [], name);
  }
});

/** A journal as an interrupted apply leaves it, with one forged step. */
function forgedJournal(gen: string, step: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    formatVersion: 1, planDigest: 'a'.repeat(64), generation: gen, direction: 'update', product: 'wso2am-4.2.0', fromLevel: 1, toLevel: 2,
    phase: 'swapping', resolveSteps: [], conflicts: [], ...extra,
    steps: [{ aside: true, src: null, created: null, discardTo: null, pruned: null, ...step }],
  });
}

test('a forged journal is refused by recover (and every other command); nothing inside or outside the pack moves', async () => {
  const { f, outside } = await applied();
  // The generation an interrupted update from level 1 would fill (a kept one is refused outright: see below).
  const gen = 'g2-1-2';
  mkdirSync(join(f.home, 'lib/sub'), { recursive: true });
  const cases: [string, string][] = [
    ['a step moving updates/wso2update aside', forgedJournal(gen, { path: 'updates/wso2update' })],
    ['a step moving the kept generations aside', forgedJournal(gen, { path: 'updates/wso2update/generations' })],
    ['a step with ..', forgedJournal(gen, { path: '../outside/precious.txt' })],
    ['generation id ..', forgedJournal('..', { path: 'lib/a.jar' })],
    ['a pruned folder inside updates/', forgedJournal(gen, { path: 'lib/a.jar', aside: false, pruned: 'updates' })],
    ['a duplicate key', forgedJournal(gen, { path: 'lib/a.jar' }).replace('"phase":"swapping"', '"phase":"awaiting-resolution","phase":"swapping"')],
  ];
  for (const [name, text] of cases) {
    writeFileSync(join(f.home, JOURNAL), text);
    const before = everything(f.home);
    const r = await runCli(['recover', '--home', f.home]);
    refusedCleanly(r, name);
    assert.equal(snapshotDiff(before, everything(f.home)).filter((d) => !d.startsWith('updates/logs')), [], name);
  }
  // A step through a folder that became a symlink to outside the pack: the guard refuses before the rename.
  // With a "kept" file for it, undoing the step would rename that file into lib/sub/, i.e. outside the pack.
  rmSync(join(f.home, 'lib/sub'), { recursive: true });
  symlinkSync(outside, join(f.home, 'lib/sub'));
  mkdirSync(join(f.home, 'updates/wso2update/generations', gen, 'files/lib/sub'), { recursive: true });
  writeFileSync(join(f.home, 'updates/wso2update/generations', gen, 'files/lib/sub/precious.txt'), 'planted\n');
  writeFileSync(join(f.home, JOURNAL), forgedJournal(gen, { path: 'lib/sub/precious.txt' }));
  const outBefore = everything(outside);
  const r = await runCli(['recover', '--home', f.home]);
  refusedCleanly(r, 'a step through a symlinked folder');
  assert.match(r.stderr, 'symlink');
  assert.equal(snapshotDiff(outBefore, everything(outside)), []);
  // Issue 19, item 4: the refused undo leaves no empty staging/ behind.
  assert.not.ok(existsSync(join(f.home, 'updates/wso2update/staging')), 'staging/ was left behind');
  console.log(`hostile records: ${STATE_FORGERIES.length} state forgeries, ${cases.length + 1} journal forgeries refused`);
});

test('revert verifies each kept copy against its sha256 (exit 7, nothing written); a symlinked generation or a missing record is refused', async () => {
  {
    const { f, gen } = await applied();
    const kept = join(f.home, 'updates/wso2update/generations', gen, 'files/lib/a.jar');
    writeFileSync(kept, 'a trojan jar\n');
    const before = everything(f.home);
    const r = await runCli(['revert', '--yes', '--home', f.home]);
    refusedCleanly(r, 'a changed kept copy', 7);
    assert.match(r.stderr, 'lib/a.jar');
    assert.equal(snapshotDiff(before, everything(f.home)).filter((d) => !d.startsWith('updates/logs')), []);
  }
  {
    const { f, outside, gen } = await applied();
    const dir = join(f.home, 'updates/wso2update/generations', gen);
    cpSync(dir, join(outside, gen), { recursive: true, verbatimSymlinks: true });
    rmSync(dir, { recursive: true });
    symlinkSync(join(outside, gen), dir);
    const [before, outBefore] = [everything(f.home), everything(outside)];
    const r = await runCli(['revert', '--yes', '--home', f.home]);
    refusedCleanly(r, 'a symlinked generation');
    assert.match(r.stderr, 'symlink');
    assert.equal(snapshotDiff(before, everything(f.home)).filter((d) => !d.startsWith('updates/logs')), []);
    assert.equal(snapshotDiff(outBefore, everything(outside)), []);
  }
  {
    const { f, gen } = await applied();
    rmSync(join(f.home, 'updates/wso2update/generations', gen, 'generation.json'));
    const r = await runCli(['revert', '--yes', '--home', f.home]);
    refusedCleanly(r, 'a missing generation record');
    assert.match(r.stderr, 'is missing');
  }
});

test('each of the tool\'s folders as a symlink to outside: apply (and plan, for its cache) refuses before any write (no lock, no log, no staging cleaned)', async () => {
  for (const rel of ['updates/wso2update', 'updates/wso2update/staging', 'updates/wso2update/generations', 'updates/logs']) {
    const f = await makeFixture();
    const plan = join(tmpDir(), 'plan.json');
    await writePlan(plan, await makeTestPlan(f, 1));
    const outside = join(tmpDir(), 'elsewhere');
    mkdirSync(join(f.home, rel), { recursive: true });
    renameSync(join(f.home, rel), outside);
    writeFileSync(join(outside, 'precious.txt'), 'not yours\n');
    symlinkSync(outside, join(f.home, rel));
    const [before, outBefore] = [everything(f.home), everything(outside)];
    const r = await runCli(['apply', plan, '--home', f.home]);
    refusedCleanly(r, rel);
    assert.match(r.stderr, `"${rel}" in the pack is a symlink`);
    assert.equal(snapshotDiff(outBefore, everything(outside)), [], `${rel}: written outside the pack`);
    // A failed run is logged in updates/logs when that is a real folder inside the pack (the log is not a write outside).
    assert.equal(snapshotDiff(before, everything(f.home)).filter((d) => !d.startsWith('updates/logs/')), [], `${rel}: the pack changed`);
  }
  // Planning fills the blob cache in the pack: a cache folder that is a symlink is refused before anything is cached.
  const f = await makeFixture(undefined, { 'repository/conf/deployment.toml': '[server]\nhostname = "node1"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n' });
  const outside = tmpDir();
  symlinkSync(outside, join(f.home, 'updates/wso2update/cache'));
  const r = await runCli(['plan', '--home', f.home, '--out', join(tmpDir(), 'p.json')]);
  refusedCleanly(r, 'a symlinked cache');
  assert.equal(snapshotDiff(new Map(), everything(outside)), []);
});

test.run();
