// core/health: the one wording of a health check's outcome, for the terminal, the log and exit 8's error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeHealth, healthLogLines, type HealthResult } from '../../src/core/health.js';

const base: HealthResult = { ok: false, exitCode: null, signal: null, timedOut: false, aborted: false, seconds: 1.234, tail: [] };

test('describeHealth: each outcome, in the order that decides (a timeout beats the signal that ended it)', () => {
  const table: [Partial<HealthResult>, string][] = [
    [{ ok: true, exitCode: 0 }, 'passed in 1.2 s'],
    [{ timedOut: true, signal: 'SIGKILL' }, 'timed out after 1.2 s (its process group was stopped)'],
    [{ aborted: true, signal: 'SIGTERM' }, 'was interrupted after 1.2 s'],
    [{ exitCode: 3 }, 'exited 3 after 1.2 s'],
    [{ signal: 'SIGSEGV' }, 'was killed by SIGSEGV after 1.2 s'],
    [{}, 'could not be started'],
  ];
  for (const [r, text] of table) assert.is(describeHealth({ ...base, ...r }), text);
});

test('healthLogLines: a pass is one line; a failure adds its last lines, indented', () => {
  assert.equal(healthLogLines('curl -f x', { ...base, ok: true, exitCode: 0 }), ['health check `curl -f x` passed in 1.2 s']);
  assert.equal(healthLogLines('check.sh', { ...base, exitCode: 1, tail: ['starting', 'port 9443 refused'] }), [
    'health check `check.sh` exited 1 after 1.2 s; last 2 line(s) of its output:',
    '  | starting',
    '  | port 9443 refused',
  ]);
  assert.equal(healthLogLines('x', { ...base, exitCode: 2 }), ['health check `x` exited 2 after 1.2 s; last 0 line(s) of its output:']);
});

test.run();
