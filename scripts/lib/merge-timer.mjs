// Child process of the benchmark: writes the pathological merge case (test/helpers/merge-cases.ts, so bench and
// tests agree on it) into a folder for `git merge-file`, then times one merge3 call of the compiled dist/ in-process.
// Run with `node --import tsx`; prints one JSON line {ms, clean, conflicts}.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathologicalCase } from '../../test/helpers/merge-cases.ts';
import { merge3 } from '../../dist/core/merge.js';

const [dir, lines = '20000'] = process.argv.slice(2);
const c = pathologicalCase(Number(lines));
for (const k of ['ours', 'base', 'theirs']) writeFileSync(join(dir, k), c[k]);
const t = performance.now();
const r = merge3(c.ours, c.base, c.theirs);
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, clean: r.clean, conflicts: r.conflicts }));
