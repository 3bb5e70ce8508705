// Runs `git merge-file` over many cases with one shell process (spawning git per case from Node is the slow
// part), isolated from the user's git configuration so that merge.conflictStyle cannot change the output.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Triple {
  ours: string;
  base: string;
  theirs: string;
}

export interface GitMerge {
  /** git's exit code for `git merge-file -p` (the number of conflicts, 0 when clean). */
  status: number;
  /** Output of `git merge-file -p` (default style). */
  text: string;
  /** Output of `git merge-file -p --diff3 -L ours -L base -L theirs` (run only when the default merge conflicts). */
  diff3: string;
  diff3Status: number;
}

export const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };

const SCRIPT = `
for d in "$@"; do
  git merge-file -p "$d/ours" "$d/base" "$d/theirs" > "$d/out" 2>/dev/null; rc=$?; echo $rc > "$d/rc"
  [ $rc = 0 ] && continue
  git merge-file -p --diff3 -L ours -L base -L theirs "$d/ours" "$d/base" "$d/theirs" > "$d/out3" 2>/dev/null; echo $? > "$d/rc3"
done`;

export function gitMergeFileBatch(cases: readonly Triple[]): GitMerge[] {
  const root = mkdtempSync(join(tmpdir(), 'wso2update-merge-'));
  try {
    const dirs = cases.map((c, i) => {
      const d = join(root, String(i));
      mkdirSync(d);
      writeFileSync(join(d, 'ours'), c.ours);
      writeFileSync(join(d, 'base'), c.base);
      writeFileSync(join(d, 'theirs'), c.theirs);
      return d;
    });
    for (let at = 0; at < dirs.length; at += 200) {
      const r = spawnSync('bash', ['-c', SCRIPT, 'merge-batch', ...dirs.slice(at, at + 200)], { env: GIT_ENV, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`git merge-file batch failed: ${r.stderr}`);
    }
    return dirs.map((d) => {
      const status = Number(readFileSync(join(d, 'rc'), 'utf8'));
      const text = readFileSync(join(d, 'out'), 'utf8');
      if (status === 0) return { status, text, diff3: text, diff3Status: 0 };
      return { status, text, diff3: readFileSync(join(d, 'out3'), 'utf8'), diff3Status: Number(readFileSync(join(d, 'rc3'), 'utf8')) };
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
