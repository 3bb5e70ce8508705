// Where plan and apply spend their time: one extra plan and apply under `node --cpu-prof`, every sample put in the
// bucket of the nearest recognisable frame on its stack. Profiling slows both a little; the shares are what count.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUCKETS = [
  [/\(garbage collector\)/, 'garbage collection'],
  [/\(idle\)/, 'waiting on I/O (reads, kernel copies, fsync)'],
  [/^(hashFile|update|digest) .*(hash\.js|crypto\/hash)/, 'sha256 of pack files and staged copies'],
  [/^(parseJsonFile|parseJsonText|scanJson|parseManifestOver|provenLike|keyTwins|caseTwins|parsePlan|validate\d*|checkPathSet|pathProblem|assertSafePath|parseYamlFile|parseYamlSubset) /, 'parsing and validating manifests, plan, state, descriptor'],
  [/^(planDigest|canonicalJson|digestOf) /, 'plan digest (canonical JSON)'],
  [/^(changedPaths|pathsToInspect|decide|decidePath|readMerges|mergeOutcome|merge3|finishPlan|writePlan|planText|commitItems) /, 'planning, merges, plan and commit files'],
  [/^(observe|observeLeaf|observeMany|checkPreconditions|doStep|swap|undoStep|assertRealParents|makeAsideDirs|planSteps|stageAll|stageOne|writeJournal|deleteJournal) /, 'lstat, staging, swap, journal (JS side)'],
  [/module_job|esm\/loader|esm\/translators|esm\/utils|cjs\/loader|compileSourceTextModule|bootstrap\/realm|compileForInternalLoader|wrapSafe/, 'loading modules'],
];

/** ms per bucket of one .cpuprofile, largest first, with the total. */
export function breakdown(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const bySample = new Map();
  p.samples.forEach((id, i) => bySample.set(id, (bySample.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const acc = new Map();
  let total = 0;
  for (const [id, us] of bySample) {
    total += us;
    let label = 'other JavaScript and runtime';
    for (let x = id, found = false; x !== undefined && !found; x = parent.get(x)) {
      const f = byId.get(x).callFrame;
      const hit = BUCKETS.find(([re]) => re.test(`${f.functionName || '(anon)'} ${f.url}`));
      if (hit) [label, found] = [hit[1], true];
    }
    acc.set(label, (acc.get(label) ?? 0) + us);
  }
  return { totalMs: total / 1000, parts: [...acc].map(([k, us]) => [k, us / 1000]).sort((a, b) => b[1] - a[1]) };
}

/** Runs `args` under --cpu-prof via `run(nodeArgs)` and returns its breakdown. */
export function profiled(run, args) {
  const dir = mkdtempSync(join(tmpdir(), 'wso2update-prof-'));
  try {
    run(['--cpu-prof', '--cpu-prof-dir', dir, ...args]);
    return breakdown(join(dir, readdirSync(dir)[0]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
