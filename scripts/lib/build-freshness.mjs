// Is dist/ built from the sources as they are now? The CLI tests run dist/ (real processes of bin/wso2update.js), so
// a source edited after the last build would be tested as it was before the edit. The build is as old as the older
// of its two outputs (tsc's dist/cli/main.js, then esbuild's bundle); any input newer than that makes it stale.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The build's inputs besides src/: what tsc and the bundler read. */
const EXTRA_INPUTS = ['tsconfig.json', 'scripts/bundle.mjs', 'scripts/lib/sea-build.mjs', 'package-lock.json'];
const OUTPUTS = ['dist/cli/main.js', 'dist/bundle/wso2update.cjs'];

const mtime = (p) => statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? null;

function newest(dir, root, best = { path: null, mtime: -Infinity }) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest(p, root, best);
    else {
      const t = mtime(p);
      if (t !== null && t > best.mtime) Object.assign(best, { path: relative(root, p), mtime: t });
    }
  }
  return best;
}

/**
 * null when dist/ is current; else why not, in words for the runner to print: an output missing, or the newest
 * input that is newer than the build.
 */
export function staleBuild(root) {
  const built = OUTPUTS.map((o) => mtime(join(root, o)));
  const missing = OUTPUTS.filter((_, i) => built[i] === null);
  if (missing.length > 0) return `${missing.join(' and ')} missing`;
  const buildTime = Math.min(...built);
  const input = newest(join(root, 'src'), root);
  for (const extra of EXTRA_INPUTS) {
    const t = mtime(join(root, extra));
    if (t !== null && t > input.mtime) Object.assign(input, { path: extra, mtime: t });
  }
  return input.mtime > buildTime ? `${input.path} is newer than the build` : null;
}
