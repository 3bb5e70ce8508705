// cli/approval-clock.ts: the node's clock as the approval decision reads it: now, and an allowed_signers time
// without Z read in this machine's time zone (as ssh-keygen reads it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { localClock } from '../../src/cli/approval-clock.js';

test('now is the given instant; a local wall time is the same instant as new Date(local parts)', () => {
  const now = new Date('2026-12-07T22:30:00Z');
  const c = localClock(now);
  assert.is(c.nowMs, now.getTime());
  const t = { year: 2027, month: 1, day: 2, hour: 3, minute: 4, second: 5, utc: false };
  assert.is(c.localToEpochMs(t), new Date(2027, 0, 2, 3, 4, 5).getTime());
  // Months are 1-based in allowed_signers (YYYYMMDD): December 31 stays in its year.
  assert.is(new Date(c.localToEpochMs({ ...t, month: 12, day: 31 })).getMonth(), 11);
});

test.run();
