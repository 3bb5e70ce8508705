// Runs `git merge-file` over many cases with one shell process (spawning git per case from Node is the slow
// part), isolated from the user's git configuration so that merge.conflictStyle cannot change the output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Writes each case's files into a folder of its own, runs the bash `script` once over all the folders (its
 * arguments), and reads back the named output files (null when the script did not write one).
 */
export function inFolders(cases: readonly Record<string, string>[], script: string, outputs: readonly string[]): Record<string, string | null>[] {
  const root = mkdtempSync(join(tmpdir(), 'wso2update-git-'));
  try {
    const dirs = cases.map((files, i) => {
      const d = join(root, String(i));
      mkdirSync(d);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
      return d;
    });
    for (let at = 0; at < dirs.length; at += 200) {
      const r = spawnSync('bash', ['-c', script, 'batch', ...dirs.slice(at, at + 200)], { env: { ...GIT_ENV, GIT_CEILING_DIRECTORIES: root }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`git batch failed: ${r.stderr}`);
    }
    return dirs.map((d) => Object.fromEntries(outputs.map((o) => [o, existsSync(join(d, o)) ? readFileSync(join(d, o), 'utf8') : null])));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function gitMergeFileBatch(cases: readonly Triple[]): GitMerge[] {
  const files = cases.map((c) => ({ ours: c.ours, base: c.base, theirs: c.theirs }));
  return inFolders(files, SCRIPT, ['rc', 'out', 'rc3', 'out3']).map((o) => {
    const status = Number(o.rc);
    const text = o.out ?? '';
    if (status === 0) return { status, text, diff3: text, diff3Status: 0 };
    return { status, text, diff3: o.out3 ?? '', diff3Status: Number(o.rc3) };
  });
}
