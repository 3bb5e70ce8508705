// Child process of the benchmark: writes one merge case (from test/helpers/merge-cases.ts, so bench and tests agree
// on it) into a folder for `git merge-file`, then times merge3 of the compiled dist/ in-process: the first call
// (what one plan pays, JIT still cold) and the median of ten more. Run with `node --import tsx`;
// `pathological` is 20,000 repeated lines with a few edits, `deployment` a 3,000-line deployment.toml with 30
// edits on each side. Prints one JSON line {ms, warmMs, clean, conflicts, ambiguous}.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deploymentCase, pathologicalCase } from '../../test/helpers/merge-cases.ts';
import { merge3 } from '../../dist/core/merge/merge.js';

const [dir, which = 'pathological'] = process.argv.slice(2);
const CASES = { pathological: () => pathologicalCase(20000), deployment: () => deploymentCase(1, 3000, 30) };
if (!CASES[which]) throw new Error(`merge-timer: unknown case ${which} (pathological or deployment)`);
const c = CASES[which]();
for (const k of ['ours', 'base', 'theirs']) writeFileSync(join(dir, k), c[k]);
const time = () => {
  const t = performance.now();
  const r = merge3(c.ours, c.base, c.theirs);
  return { ms: performance.now() - t, r };
};
const first = time();
const warm = Array.from({ length: 10 }, () => time().ms).sort((a, b) => a - b);
const { clean, conflicts, ambiguous } = first.r;
console.log(JSON.stringify({ ms: first.ms, warmMs: (warm[4] + warm[5]) / 2, clean, conflicts, ambiguous }));
