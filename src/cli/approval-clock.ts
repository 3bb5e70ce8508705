// The node's clock as the approval decision reads it (core/approval/decide.ts): now, and local wall times
// (allowed_signers times without Z) through this machine's time zone, as ssh-keygen reads them.
import type { WallTime } from '../core/approval/allowed-signers.js';
import type { Clock } from '../core/approval/decide.js';

export const localClock = (now: Date): Clock => ({
  nowMs: now.getTime(),
  localToEpochMs: (t: WallTime) => new Date(t.year, t.month - 1, t.day, t.hour, t.minute, t.second).getTime(),
});
