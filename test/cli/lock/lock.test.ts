// Family 1 (issue 7): two updaters must never both pass the lock. Eight real `apply` processes of one plan are
// started together, round after round; the one that takes the lock is held inside its journal (the test-only pause
// hook) so that every other one is sure to meet the lock: exactly one applies, the other seven exit 6 and touch
// nothing. The same with a stale lock (a dead owner) already in place, where all eight race to take it over.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { runCli, spawnCli, tmpDir } from '../../helpers/tmp.js';

const RACERS = 8;
const ROUNDS = 12;
const STALE_ROUNDS = 6;

interface Racer { code: number | null; stderr: string }

/** Starts RACERS applies at once; once all but one exited, releases the paused one; resolves with every result. */
function race(home: string, plan: string, dir: string): Promise<Racer[]> {
  const marker = join(dir, 'paused');
  return new Promise((resolve, reject) => {
    const results: Racer[] = [];
    const env = { ...process.env, CI: '1', NO_COLOR: '1', WSO2UPDATE_TEST_PAUSE_AT_STEP: '1', WSO2UPDATE_TEST_PAUSE_MARKER: marker };
    const started = Date.now();
    const poll = setInterval(() => {
      // The holder waits at its first journal step until the marker goes; the others must all have been refused by
      // then. (After 20 s the marker goes anyway, so that a broken lock fails the assertions instead of hanging.)
      if ((results.length === RACERS - 1 || Date.now() - started > 20_000) && existsSync(marker)) rmSync(marker);
    }, 5);
    for (let i = 0; i < RACERS; i++) {
      const child = spawnCli(['apply', plan, '--home', home], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => {
        results.push({ code, stderr });
        if (results.length === RACERS) {
          clearInterval(poll);
          resolve(results);
        }
      });
    }
  });
}

async function template(): Promise<{ home: string; plan: string }> {
  const f = await makeFixture();
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  return { home: f.home, plan };
}

function checkRound(results: Racer[], home: string, round: string): void {
  const codes = results.map((r) => r.code).sort();
  const ran = results.filter((r) => r.code === 0);
  assert.is(ran.length, 1, `${round}: exits ${codes.join(',')}: ${results.filter((r) => r.code !== 6).map((r) => r.stderr).join('\n')}`);
  for (const r of results.filter((x) => x.code !== 0)) {
    assert.is(r.code, 6, `${round}: ${r.stderr}`);
    assert.match(r.stderr, 'another wso2update');
  }
  const state = JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')) as { level: number; serial: number };
  assert.equal([state.level, state.serial], [1, 1], `${round}: applied once`);
  const left = readdirSync(join(home, 'updates/wso2update')).filter((n) => n.startsWith('lock') || n === 'journal.json' || n === 'staging');
  assert.equal(left, [], `${round}: left ${left.join(', ')}`);
}

test(`${RACERS} applies of one plan started together, ${ROUNDS} rounds: exactly one runs, the others exit 6`, async () => {
  const t = await template();
  for (let round = 0; round < ROUNDS; round++) {
    const dir = tmpDir();
    const home = join(dir, 'home');
    cpSync(t.home, home, { recursive: true, verbatimSymlinks: true });
    checkRound(await race(home, t.plan, dir), home, `round ${round}`);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`lock: ${ROUNDS} rounds of ${RACERS} concurrent applies, exactly one ran each time`);
});

test(`a stale lock (its owner is gone) and ${RACERS} racers, ${STALE_ROUNDS} rounds: exactly one takes it over`, async () => {
  const t = await template();
  for (let round = 0; round < STALE_ROUNDS; round++) {
    const dir = tmpDir();
    const home = join(dir, 'home');
    cpSync(t.home, home, { recursive: true, verbatimSymlinks: true });
    // A pid that cannot be running (above the kernel's pid_max), in this format and in the bare format of old versions.
    writeFileSync(join(home, 'updates/wso2update/lock'), round % 2 ? '{"pid":4194999,"start":"1"}\n' : '4194999\n');
    checkRound(await race(home, t.plan, dir), home, `stale round ${round}`);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`lock: ${STALE_ROUNDS} rounds of ${RACERS} racers over a stale lock, exactly one took it over each time`);
});

test('a lock whose pid was reused by another process (other start time) is stale; a live owner is not', async () => {
  const t = await template();
  const dir = tmpDir();
  const home = join(dir, 'home');
  cpSync(t.home, home, { recursive: true, verbatimSymlinks: true });
  const lock = join(home, 'updates/wso2update/lock');
  // This test process is alive, but it did not start at tick 1: the lock is someone else's, long gone.
  writeFileSync(lock, JSON.stringify({ pid: process.pid, start: '1' }));
  const env = { ...process.env, CI: '1' };
  const run = (args: string[]) => new Promise<Racer>((resolve) => {
    const child = spawnCli([...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  writeFileSync(lock, JSON.stringify({ pid: process.pid, start }));
  const refused = await run(['apply', t.plan, '--home', home]);
  assert.is(refused.code, 6, refused.stderr);
  assert.match(refused.stderr, `pid ${process.pid}`);
  writeFileSync(lock, JSON.stringify({ pid: process.pid, start: '1' }));
  const taken = await run(['apply', t.plan, '--home', home]);
  assert.is(taken.code, 0, taken.stderr);
  assert.not.ok(existsSync(lock));
});

/** This test process's start time as /proc gives it (what a lock of a live wso2update records). */
function myStart(): string {
  const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** A fresh copy of the template pack, the lock file written as `lock`, and other files of the state folder. */
function packWith(t: { home: string }, files: Record<string, string>): string {
  const home = join(tmpDir(), 'home');
  cpSync(t.home, home, { recursive: true, verbatimSymlinks: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(home, 'updates/wso2update', name), text);
  return home;
}

const claimOf = (file: string, raw: string): string => `${file}.takeover-${Buffer.from(raw).toString('hex').slice(0, 96)}`;
const DEAD = '{"pid":4194999,"start":"1"}\n';
const DEAD_TAKER = '{"pid":4194998,"start":"7"}\n';

test('when in doubt a lock is held: a live pid in a form this version does not write, or no pid at all, exits 6 naming the file; the pack is untouched', async () => {
  const t = await template();
  const live = process.pid; // this test process runs for the whole test
  const held: [string, string, RegExp][] = [
    ['a live pid without start time', JSON.stringify({ pid: live }), new RegExp(`pid ${live}`)],
    ['a live pid as a string', JSON.stringify({ pid: String(live), start: myStart() }), new RegExp(`pid ${live}`)],
    ['a live pid with an unreadable start', JSON.stringify({ pid: live, start: 'yesterday' }), new RegExp(`pid ${live}`)],
    ['a live pid with other fields', JSON.stringify({ host: 'node1', pid: live, since: 3 }), new RegExp(`pid ${live}`)],
    ['no pid at all', 'held by the backup job\n', /names no process wso2update can check: .*updates\/wso2update\/lock/],
    ['a pid of 0', '{"pid":0}', /names no process/],
  ];
  for (const [name, text, re] of held) {
    const home = packWith(t, { lock: text });
    const before = snapshot(home, () => false);
    const r = await runCli(['apply', t.plan, '--home', home]);
    assert.is(r.code, 6, `${name}: ${r.stderr}`);
    assert.match(r.stderr, re, name);
    assert.not.match(r.stderr, 'This is a bug', name);
    assert.equal(snapshotDiff(before, snapshot(home, () => false)).filter((d) => !d.startsWith('updates/logs/')), [], `${name}: the pack changed`);
    assert.is(readFileSync(join(home, 'updates/wso2update/lock'), 'utf8'), text, `${name}: the lock was replaced`);
  }
  // An empty lock names nobody (what a machine crash leaves of an unsynced write; ours is linked in whole): stale.
  const home = packWith(t, { lock: '' });
  const r = await runCli(['apply', t.plan, '--home', home]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(join(home, 'updates/wso2update')).filter((n) => n.startsWith('lock')), []);
  console.log(`lock: ${held.length} doubtful locks held, an empty one taken over`);
});

test('a takeover claim left by a taker that died does not block: apply and recover take it over; a live or unreadable claim is named', async () => {
  const t = await template();
  const lock = 'updates/wso2update/lock';
  const claim = claimOf('lock', DEAD);
  for (const cmd of [['apply', t.plan], ['recover']]) {
    const home = packWith(t, { lock: DEAD, [claim]: DEAD_TAKER });
    const r = await runCli([...cmd, '--home', home]);
    assert.is(r.code, 0, `${cmd[0]}: ${r.stderr}`);
    assert.equal(readdirSync(join(home, 'updates/wso2update')).filter((n) => n.startsWith('lock')), [], `${cmd[0]}: left a lock or claim`);
  }
  // Two takers died in a row (a claim on the claim): the operator is told which file to remove.
  const nested = claimOf(claim, DEAD_TAKER);
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a live taker', { lock: DEAD, [claim]: JSON.stringify({ pid: process.pid, start: myStart() }) }, new RegExp(`pid ${process.pid}\\) is taking over the lock of this pack: .*${claim}`)],
    ['an unreadable claim', { lock: DEAD, [claim]: 'x' }, new RegExp(`takeover claim on the lock of this pack names no process wso2update can check: .*${claim}`)],
    ['two dead takers in a row', { lock: DEAD, [claim]: DEAD_TAKER, [nested]: '{"pid":4194997,"start":"9"}' }, new RegExp(`is taking over the lock of this pack: .*${nested}`)],
  ];
  for (const [name, files, re] of cases) {
    const home = packWith(t, files);
    const before = snapshot(home, () => false);
    const r = await runCli(['recover', '--home', home]);
    assert.is(r.code, 6, `${name}: ${r.stderr}`);
    assert.match(r.stderr, re, name);
    assert.equal(snapshotDiff(before, snapshot(home, () => false)).filter((d) => !d.startsWith('updates/logs/')), [], `${name}: the pack changed`);
  }
  assert.ok(readFileSync(join(packWith(t, { lock: DEAD }), lock), 'utf8'));
});

test.run();
