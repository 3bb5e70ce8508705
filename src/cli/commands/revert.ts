// `revert`: undo the last apply (or, with --to-level N, several), through the same journaled executor. From the
// waiting state of a conflicted apply it rolls that apply back. Exit 4 (WSO2's "reverted") on success.
import { withPackLock } from '../../apply/apply.js';
import { readGeneration } from '../../apply/generations.js';
import { revertChain, revertOnce } from '../../apply/revert.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import type { Observed, PackState } from '../../core/model.js';
import { sameEntry } from '../../core/verify.js';
import { observeMany } from '../../io/tree.js';
import { realFs } from '../../io/fsops.js';
import { readJournal } from '../../io/journal.js';
import { readState, resolveHome } from '../../io/state.js';
import { writeApplyReport } from '../../ui/apply-report.js';
import type { CommandRun } from '../context.js';
import { optLevel } from '../options.js';
import { inSession } from '../apply-session.js';
import { confirm } from './apply.js';

/**
 * `--to-level` runs several reverts; each checks its own generation for edits, so an edit to a file only an older
 * update wrote would stop the chain halfway, the pack at neither level asked about. Checked for the whole chain
 * first: each generation's files must be as it wrote them once the newer reverts have put back what they kept.
 */
async function chainDrift(home: string, state: PackState, times: number): Promise<string[]> {
  const expected = new Map<string, Observed>();
  const drifted = new Set<string>();
  let level = state.level;
  for (let i = 0; i < times; i++) {
    const record = [...state.generations].reverse().find((g) => g.direction === 'update' && g.toLevel === level);
    if (!record) break; // revertChain already vouched for the chain; revertOnce reports anything else
    const g = await readGeneration(realFs, home, record.id);
    const seen = await observeMany(home, g.entries.filter((e) => !expected.has(e.path)).map((e) => e.path), 16);
    for (const e of g.entries) {
      if (!sameEntry(expected.get(e.path) ?? (seen.get(e.path) as Observed), e.after)) drifted.add(e.path);
      expected.set(e.path, e.before);
    }
    level = record.fromLevel;
  }
  return [...drifted].sort();
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const home = resolveHome(ctx.cwd, opts.home);
  const to = optLevel(opts, 'toLevel', '--to-level');
  const state = await readState(home);
  const journal = await readJournal(home, realFs);
  const waiting = journal?.phase === 'awaiting-resolution';
  const times = waiting ? 1 : to === undefined ? 1 : revertChain(state, to);
  if (!(await confirm(ctx, opts, waiting ? 'Roll back the update that waits on conflicts?' : `Revert ${times} update(s) from level ${state.level}?`))) {
    ctx.stderr.write('Nothing reverted.\n');
    return EXIT.ok;
  }
  if (!waiting && times > 1 && !opts.force) {
    const edited = await chainDrift(home, state, times);
    if (edited.length > 0) {
      throw new UpdateError('stale-plan', `${edited.length} file(s) the updates wrote were changed since; reverting to level ${to} would lose those edits`, {
        paths: edited, hint: `Nothing was reverted. Keep copies of your edits and run \`wso2update revert --to-level ${to} --force\` (it keeps the edited files in new generations).`,
      });
    }
  }
  const drifted: string[] = [];
  const warnings: string[] = [];
  let generation: string | undefined;
  for (let i = 0; i < times; i++) {
    const r = await inSession(ctx, home, 'revert', (s) => withPackLock(home, () => revertOnce(home, realFs, { force: Boolean(opts.force), now: ctx.now(), hooks: s.hooks }), waiting ? 'allow' : 'refuse'),
      (x) => [`generation ${x.generation}`, ...x.drifted.map((d) => `kept edited ${d}`)]);
    drifted.push(...r.drifted);
    warnings.push(...r.warnings);
    generation = r.generation;
  }
  const after = await readState(home);
  writeApplyReport(ctx, { command: 'revert', status: 'reverted', home, fromLevel: waiting && journal ? journal.toLevel : state.level, toLevel: after.level, generation, conflicts: [], drifted, warnings }, Boolean(opts.json));
  return EXIT.reverted;
};
