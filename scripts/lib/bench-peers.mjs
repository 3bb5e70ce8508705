// Measuring helpers for scripts/bench.mjs: wall time of a child process, peak RSS through /usr/bin/time -v, and
// the peers a user would otherwise reach for (sha256sum, git checkout -m, rsync --backup-dir, git merge-file),
// set up the same way for every run so that only the measured command is timed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const RUNTIME = ['/updates/', '/repository/logs/', '/repository/database/', '/tmp/'];

/** Runs a command, returns {s, status, stdout, stderr}; throws when the exit code is not in `ok`. */
export function timed(cmd, args, { cwd, ok = [0], env } = {}) {
  // Every timed command, ours and the peers', starts with no dirty pages left by the bench's own setup (the copies of
  // the 679 MB pack): else whichever command fsyncs first pays for writing back the setup's copies, and the runs
  // after the first measured the previous run's copies being flushed (BENCH.md: 388 ms then 540 ms for one plan).
  spawnSync('sync');
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: env ?? { ...process.env, CI: '1', NO_COLOR: '1' } });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.error) throw r.error;
  if (!ok.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal} (expected ${ok.join('/')})\n${r.stdout ?? ''}${(r.stderr ?? '').slice(-4000)}`);
  return { s, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like timed(), under /usr/bin/time -v; adds `rssMB` (peak resident set size of the command). */
export function timedWithRss(cmd, args, opts) {
  const r = timed('/usr/bin/time', ['-v', cmd, ...args], opts);
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!m) throw new Error('/usr/bin/time -v printed no "Maximum resident set size"');
  return { ...r, rssMB: Number(m[1]) / 1024 };
}

export const copyTree = (from, to) => execFileSync('cp', ['-a', from, to]);

/** sha256 of every file of the pack, one process after another: what "hash the whole pack" costs. */
export const sha256All = (dir) => timed('sh', ['-c', 'find . -type f -print0 | xargs -0 sha256sum > /dev/null'], { cwd: dir });

/** Whether a tool is on PATH; tries `apt-get install` for rsync when it is not (as the bench brief allows). */
export function ensureTool(name, aptPackage) {
  const has = () => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (has() || !aptPackage) return has();
  console.log(`${name} is missing; installing ${aptPackage} with apt-get`);
  spawnSync('sh', ['-c', `apt-get update -qq && apt-get install -y -qq ${aptPackage}`], { stdio: 'inherit' });
  return has();
}

/** A git repository holding level 0 and level 1 as two commits (runtime paths excluded, no compression). */
export function gitSetup(dir, l0, l1) {
  const git = (...a) => execFileSync('git', ['-c', 'core.compression=0', '-c', 'core.looseCompression=0', '-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-C', dir, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
  execFileSync('git', ['init', '-q', dir]);
  execFileSync('sh', ['-c', `printf '%s\\n' ${RUNTIME.join(' ')} >> "${join(dir, '.git/info/exclude')}"`]);
  git(`--work-tree=${l0}`, 'add', '-A');
  git('commit', '-q', '-m', 'level 0');
  const c0 = git('rev-parse', 'HEAD');
  git(`--work-tree=${l1}`, 'add', '-A');
  git('commit', '-q', '-m', 'level 1');
  return { c0, c1: git('rev-parse', 'HEAD') };
}

/**
 * `git checkout -m` from level 0 to level 1 in a fresh worktree holding the customized home, with a cold index
 * (read-tree: no stat data, so git must look at every tracked file, as it would on a pack it never saw).
 */
export function gitCheckoutRun(repo, { c0, c1 }, home, work, verify) {
  execFileSync('git', ['-C', repo, 'worktree', 'add', '-q', '--detach', '--no-checkout', work, c0]);
  execFileSync('sh', ['-c', `cp -a "${home}/." "${work}/"`]);
  execFileSync('git', ['-C', work, 'read-tree', c0]);
  try {
    const r = timed('git', ['-C', work, 'checkout', '-q', '-m', c1]);
    verify?.(work); // the peer must have done the same job (merged, not discarded, the local edits)
    return r;
  } finally {
    rmSync(work, { recursive: true, force: true });
    execFileSync('git', ['-C', repo, 'worktree', 'prune']);
  }
}

/** rsync of the level-1 tree over a copy of the customized home, keeping what it replaces in a backup dir. */
export function rsyncRun(l1, home, work) {
  const dest = join(work, 'home');
  mkdirSync(work, { recursive: true });
  copyTree(home, dest);
  try {
    const excludes = RUNTIME.map((p) => `--exclude=${p}`);
    return timed('rsync', ['-a', '--delete', '--backup', `--backup-dir=${join(work, 'backup')}`, ...excludes, `${l1}/`, `${dest}/`]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

