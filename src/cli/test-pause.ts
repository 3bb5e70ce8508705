// TEST ONLY: the pause points the kill tests use (apply's journal steps, self-update's swap). Never set their
// variables in production; without them nothing pauses.
import { existsSync, writeFileSync } from 'node:fs';

/** Writes `marker` and waits until the test deletes it (or kills this process). */
export async function pauseAtMarker(marker: string, point: string): Promise<void> {
  writeFileSync(marker, point);
  await new Promise<void>((resume) => {
    const t = setInterval(() => { if (!existsSync(marker)) { clearInterval(t); resume(); } }, 10);
  });
}
