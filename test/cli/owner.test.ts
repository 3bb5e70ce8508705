// cli/owner: this process as a lock owner, and whether another owner still runs (a pid reused since is gone).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { isAlive, processOwner } from '../../src/cli/owner.js';
import { processStartTime } from '../../src/io/proc.js';

test('this process: its pid and start time, alive under both and under a null start', () => {
  const me = processOwner();
  assert.is(me.pid, process.pid);
  assert.is(me.start, processStartTime(process.pid));
  assert.ok(isAlive(me.pid, me.start));
  assert.ok(isAlive(me.pid, null));
  assert.not.ok(isAlive(me.pid, '1'), 'the same pid with another start time is another process');
});

test('a process that exited, and pids that are no pids, are not alive; pid 1 (another user\'s, or root\'s) is', async () => {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => child.on('exit', r));
  assert.not.ok(isAlive(child.pid as number, null));
  for (const pid of [0, -1, 1.5, Number.NaN, 2 ** 40]) assert.not.ok(isAlive(pid, null), String(pid));
  assert.ok(isAlive(1, null));
});

test.run();
