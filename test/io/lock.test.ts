// io/lock, in process: the lock file's protocol (whole or absent, stale only when its owner is gone, takeover without
// a race, claims left by dead takers) and the running-product check. The CLI's lock tests (real processes, real
// signals) are test/cli/lock/lock.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, assertNotRunning, type LockOwner } from '../../src/io/lock.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';
import { openPack, packPaths } from '../../src/io/pack.js';
import { thrown } from '../helpers/thrown.js';

/** A pack folder with the tool's state folder, as init leaves it. */
function home(): string {
  const h = tmpDir();
  mkdirSync(join(h, 'updates', 'wso2update'), { recursive: true });
  return h;
}

/** An owner that sees as alive exactly the processes (pid, start) in `alive`; a null start: the pid alone. */
function owner(pid: number, start: string | null, alive: [number, string | null][] = []): LockOwner {
  return { pid, start, isAlive: (p, s) => alive.some(([ap, as]) => ap === p && (s === null || as === s)) };
}

const busy = (h: string, o: LockOwner): Promise<UpdateError> => thrown(() => acquireLock(openPack(h), o), 'busy');

const stateFiles = (h: string) => readdirSync(join(h, 'updates', 'wso2update')).sort();

test('taken whole (pid and start), refused to a second owner while held, removed by release, release twice harmless', async () => {
  const h = home();
  const a = owner(100, '555');
  const lock = await acquireLock(openPack(h), a);
  assert.equal(JSON.parse(readFileSync(packPaths(h).lock, 'utf8')), { pid: 100, start: '555' });
  assert.equal(stateFiles(h), ['lock'], 'no temporary file left');
  const e = await busy(h, owner(200, '1', [[100, '555']]));
  assert.match(e.message, 'another wso2update (pid 100) is working on this pack');
  assert.match(e.hint ?? '', 'Wait for it to finish');
  await lock.release();
  await lock.release();
  assert.not.ok(existsSync(packPaths(h).lock));
  (await acquireLock(openPack(h), owner(200, '1'))).release();
});

test('a stale lock (its owner gone, or its pid reused by a process started later) is taken over; a live one is not', async () => {
  const h = home();
  writeFileSync(packPaths(h).lock, JSON.stringify({ pid: 100, start: '555' }));
  // pid 100 runs again, but started at another time: another process, so the lock is stale.
  const lock = await acquireLock(openPack(h), owner(300, '9', [[100, '777']]));
  assert.equal(JSON.parse(readFileSync(packPaths(h).lock, 'utf8')), { pid: 300, start: '9' });
  assert.equal(stateFiles(h), ['lock'], 'the takeover claim is gone');
  await lock.release();
  assert.not.ok(existsSync(packPaths(h).lock));
});

test('when in doubt it is held: garbage, a pid as a word, a pid without start that runs; empty is stale', async () => {
  const cases: [string, RegExp][] = [
    ['not json', /names no process wso2update can check/],
    ['{"pid":"x"}', /names no process/],
    ['{"pid":-1,"start":"1"}', /names no process/],
    ['{"pid":1e3}', /pid 1000/],
  ];
  for (const [content, message] of cases) {
    const h = home();
    writeFileSync(packPaths(h).lock, content);
    const e = await busy(h, owner(5, '5', [[1000, null]]));
    assert.match(e.message, message, content);
    assert.is(readFileSync(packPaths(h).lock, 'utf8'), content, 'a held lock is never touched');
    if (/names no process/.test(e.message)) assert.match(e.hint ?? '', `delete ${packPaths(h).lock}`);
  }
  const bare = home();
  writeFileSync(packPaths(bare).lock, '4242\n'); // an older version's bare pid
  assert.match((await busy(bare, owner(5, '5', [[4242, 'any']]))).message, 'pid 4242');
  (await acquireLock(openPack(bare), owner(5, '5'))).release();
  const empty = home();
  writeFileSync(packPaths(empty).lock, '');
  const lock = await acquireLock(openPack(empty), owner(6, '6'));
  assert.equal(JSON.parse(readFileSync(packPaths(empty).lock, 'utf8')), { pid: 6, start: '6' });
  await lock.release();
});

test('racing takers of one stale lock: exactly one wins, the others are busy; no claim is left', async () => {
  for (let round = 0; round < 20; round++) {
    const h = home();
    writeFileSync(packPaths(h).lock, JSON.stringify({ pid: 1, start: '1' }));
    const takers = Array.from({ length: 6 }, (_, i) => owner(10 + i, String(i), Array.from({ length: 6 }, (_, j) => [10 + j, String(j)] as [number, string])));
    const results = await Promise.allSettled(takers.map((t) => acquireLock(openPack(h), t)));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.is(won.length, 1, `round ${round}: ${results.map((r) => r.status).join(',')}`);
    for (const r of results) if (r.status === 'rejected') assert.is((r.reason as UpdateError).code, 'busy');
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    assert.equal(stateFiles(h), [], `round ${round}`);
  }
});

test('a claim left by a taker that died is taken over; a live taker\'s claim makes the lock busy', async () => {
  const h = home();
  const stale = JSON.stringify({ pid: 1, start: '1' });
  writeFileSync(packPaths(h).lock, stale);
  const claim = `${packPaths(h).lock}.takeover-${Buffer.from(stale).toString('hex').slice(0, 96)}`;
  writeFileSync(claim, JSON.stringify({ pid: 2, start: '2' }));
  const live = await busy(h, owner(3, '3', [[2, '2']]));
  assert.match(live.message, 'another wso2update (pid 2) is taking over the lock of this pack');
  const lock = await acquireLock(openPack(h), owner(3, '3'));
  assert.not.ok(existsSync(claim));
  await lock.release();
});

test('release never removes a lock another owner put there since', async () => {
  const h = home();
  const lock = await acquireLock(openPack(h), owner(1, '1'));
  writeFileSync(packPaths(h).lock, JSON.stringify({ pid: 2, start: '2' }));
  await lock.release();
  assert.ok(existsSync(packPaths(h).lock));
});

test('a missing state folder fails before any lock exists (callers check the folder first, as documented)', async () => {
  const h = tmpDir();
  try {
    await acquireLock(openPack(h), owner(1, '1'));
    assert.unreachable();
  } catch (err) {
    assert.instance(err, Error);
    assert.match(String((err as Error).message), /ENOENT|cannot create the lock/);
  }
});

test('assertNotRunning: a live pid in wso2carbon.pid is exit 6; a dead, garbage or missing one is not', async () => {
  const h = home();
  const o = owner(1, '1', [[4321, null]]);
  await assertNotRunning(h, o);
  for (const content of ['', 'garbage', '-5', '99999\n', '0']) {
    writeFileSync(join(h, 'wso2carbon.pid'), content);
    await assertNotRunning(h, o);
  }
  writeFileSync(join(h, 'wso2carbon.pid'), ' 4321\n');
  try {
    await assertNotRunning(h, o);
    assert.unreachable();
  } catch (err) {
    assert.is((err as UpdateError).code, 'running');
    assert.is((err as Error).message, 'the product is running (pid 4321 in wso2carbon.pid)');
    assert.match((err as UpdateError).hint ?? '', 'Stop the server');
  }
});

test.run();
