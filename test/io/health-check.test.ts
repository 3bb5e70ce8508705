// The health-check runner on real processes: exit codes, the tail of the output, the working folder, and the
// process group ended on a timeout or an abort (a grandchild included), while a passing check's server stays.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { healthShell, runHealthCheck } from '../../src/io/health-check.js';
import { tmpDir } from '../helpers/tmp.js';

const kill = (pid: number, sig: NodeJS.Signals | 0) => process.kill(pid, sig);

const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch { return false; }
};
const waitFor = async (ok: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!ok() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

test('a passing check runs in the given folder', async () => {
  const dir = tmpDir();
  const r = await runHealthCheck('pwd > where.txt; echo fine', { kill, cwd: dir, timeoutMs: 10_000 });
  assert.ok(r.ok);
  assert.is(r.exitCode, 0);
  assert.equal(r.tail, ['fine']);
  assert.is(readFileSync(join(dir, 'where.txt'), 'utf8').trim(), realpathSync(dir));
});

test('a failing check keeps the last lines of stdout and stderr, long lines cut', async () => {
  const r = await runHealthCheck(`for i in $(seq 1 50); do echo out $i; done; printf '%0600d\\n' 0; sleep 0.2; echo "err last" >&2; exit 3`, { kill, cwd: tmpDir(), timeoutMs: 10_000, tailLines: 5 });
  assert.not.ok(r.ok);
  assert.is(r.exitCode, 3);
  assert.is(r.tail.length, 5);
  assert.ok(r.tail.includes('err last'), r.tail.join('|'));
  assert.ok(r.tail.includes('out 50'));
  assert.not.ok(r.tail.includes('out 47'));
  assert.ok(r.tail[3].endsWith('...') && r.tail[3].length === 503);
});

test('a timeout ends the whole process group, grandchildren too', async () => {
  const dir = tmpDir();
  const started = Date.now();
  const r = await runHealthCheck('sleep 60 & echo $! > bg.pid; echo waiting; sleep 60', { kill, cwd: dir, timeoutMs: 500, graceMs: 500 });
  assert.not.ok(r.ok);
  assert.ok(r.timedOut);
  assert.ok(Date.now() - started < 10_000);
  assert.equal(r.tail, ['waiting']);
  const bg = Number(readFileSync(join(dir, 'bg.pid'), 'utf8'));
  assert.ok(await waitFor(() => !alive(bg)), `background sleep ${bg} still alive`);
});

test('a shell that ignores SIGTERM is killed after the grace period', async () => {
  const r = await runHealthCheck(`trap '' TERM; while true; do sleep 0.1; done`, { kill, cwd: tmpDir(), timeoutMs: 300, graceMs: 300 });
  assert.ok(r.timedOut);
  assert.not.ok(r.ok);
});

test('an abort stops the check and counts as a failure', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 200);
  const r = await runHealthCheck('sleep 60', { kill, cwd: tmpDir(), timeoutMs: 60_000, signal: ac.signal, graceMs: 500 });
  assert.ok(r.aborted);
  assert.not.ok(r.ok);
});

test('a passing check may leave a server it started running, without holding up the result', async () => {
  const dir = tmpDir();
  const started = Date.now();
  const r = await runHealthCheck('sleep 30 & echo $! > server.pid; echo started', { kill, cwd: dir, timeoutMs: 10_000 });
  assert.ok(r.ok);
  assert.ok(Date.now() - started < 5000, 'the server kept the pipes open and the check waited for it');
  const server = Number(readFileSync(join(dir, 'server.pid'), 'utf8'));
  assert.ok(alive(server));
  process.kill(server, 'SIGKILL');
});

test('a command that cannot start is a failure with the reason', async () => {
  const r = await runHealthCheck('true', { kill, cwd: join(tmpDir(), 'missing'), timeoutMs: 5000 });
  assert.not.ok(r.ok);
  assert.ok(r.tail.join(' ').includes('ENOENT'), r.tail.join('|'));
});

// Issue 18: on Windows the check always ran /bin/sh (spawn ENOENT), so every apply with a health check was reverted
// (exit 8). Under Wine the real cmd.exe runs it (test/release/windows-wine.test.ts); here, what each platform starts.
test('the shell of each platform: /bin/sh -c in a group of its own; cmd.exe /d /s /c with the line as written', () => {
  assert.equal(healthShell('curl -fsS https://localhost:9443/ && echo ok', 'linux'), { file: '/bin/sh', args: ['-c', 'curl -fsS https://localhost:9443/ && echo ok'], verbatim: false, detached: true });
  assert.equal(healthShell('bin\\check.bat "a b" & echo ok', 'win32'), { file: 'cmd.exe', args: ['/d', '/s', '/c', '"bin\\check.bat "a b" & echo ok"'], verbatim: true, detached: false });
});

test.run();
