// A refusal that must leave no trace: the CLI run as a child with its own empty TMPDIR, then the whole pack (nothing
// skipped: state, trust, cache, logs) compared with before, and the TMPDIR checked empty.
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshot, snapshotDiff } from './pack.js';
import { runCli } from './tmp.js';

export interface Refusal {
  /** The refusal came while applying (a blob is verified as it is staged): apply's daily log records it, matching this. */
  logged?: RegExp;
}

/** Runs `args --home home`, expects exit `code` and `re` on stderr; returns stderr. `tmp` must not exist yet. */
export async function refusedCleanly(home: string, args: string[], code: number, re: RegExp, tmp: string, opts: Refusal = {}): Promise<string> {
  const before = snapshot(home, () => false);
  mkdirSync(tmp);
  const r = await runCli([...args, '--home', home], { env: { TMPDIR: tmp } });
  assert.is(r.code, code, `${args.join(' ')}\n${r.stderr}`);
  assert.match(r.stderr, re, r.stderr);
  const changed = snapshotDiff(before, snapshot(home, () => false));
  assert.equal(changed.filter((p) => !(opts.logged && p.startsWith('updates/logs/'))), [], 'the pack changed');
  if (opts.logged) assert.match(readFileSync(join(home, changed[0]), 'utf8'), opts.logged);
  assert.equal(readdirSync(tmp), [], 'something was left in TMPDIR');
  return r.stderr;
}
