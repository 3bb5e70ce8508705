// Apply at 48,000 files holds two parsed manifests (about 13 MB each) while it re-derives the plan. Nearly all of it
// survives, and V8 answers survival by doubling the young generation's two semi-spaces up to 16 MB each: about
// 30 MB of peak RSS that buys nothing here, since what survives is promoted anyway. The flag that caps them
// (--max-semi-space-size) is read only when the heap is set up, which neither bin/ nor the single executable can
// pass; the growth factor is read at each growth (V8's NewSpace::Grow), so 1 from here on keeps the semi-spaces at
// the size they have. Measured at 48,000 files: peak RSS 172 -> 143 MB, CPU the same within noise. A later V8 that
// refuses the value leaves the default: more memory, nothing wrong.
import { setFlagsFromString } from 'node:v8';

/** Called first by the commands that load whole manifests to change a pack (apply, apply-update, apply-hotfix, revert). */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
