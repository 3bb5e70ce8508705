// io/proc: a process's start time from /proc, to tell a pid's owner from a later process given the same pid.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { processStartTime } from '../../src/io/proc.js';

test('this process and a child have start times (digits); the child\'s is not before ours; gone after it exits', async () => {
  const mine = processStartTime(process.pid);
  assert.match(mine ?? '', /^\d+$/);
  assert.is(processStartTime(process.pid), mine, 'stable');
  // A command name with spaces and parentheses must not shift the fields (they are counted after the last ')').
  const child = spawn(process.execPath, ['-e', 'process.title = "a) b (c"; setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  const theirs = processStartTime(child.pid as number);
  assert.match(theirs ?? '', /^\d+$/);
  assert.ok(BigInt(theirs as string) >= BigInt(mine as string));
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
  assert.is(processStartTime(child.pid as number), null);
});

test('no such pid, and pids that are no pids: null without touching /proc paths they could name', () => {
  for (const pid of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2, 2 ** 22 + 12345]) assert.is(processStartTime(pid), null, String(pid));
});

test.run();
