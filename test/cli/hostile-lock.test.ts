// Family 1 (issue 7): two updaters must never both pass the lock. Eight real `apply` processes of one plan are
// started together, round after round; the one that takes the lock is held inside its journal (the test-only pause
// hook) so that every other one is sure to meet the lock: exactly one applies, the other seven exit 6 and touch
// nothing. The same with a stale lock (a dead owner) already in place, where all eight race to take it over.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlan } from '../../src/io/planfile.js';
import { makeFixture, makeTestPlan } from '../helpers/pack.js';
import { spawnCli, tmpDir } from '../helpers/tmp.js';

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

test.run();
