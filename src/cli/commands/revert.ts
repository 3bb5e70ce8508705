// `revert`: undo the last apply (or, with --to-level N, several), through the same journaled executor. From the
// waiting state of a conflicted apply it rolls that apply back. Exit 4 (WSO2's "reverted") on success.
import { withPackLock } from '../../apply/apply.js';
import { chainDrift, revertChain, revertOnce } from '../../apply/revert.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import { realFs } from '../../io/fsops.js';
import { readJournal } from '../../io/journal.js';
import { readState, resolveHome } from '../../io/state.js';
import { writeApplyReport } from '../../ui/apply-report.js';
import type { CommandRun } from '../context.js';
import { optLevel } from '../options.js';
import { inSession } from '../apply-session.js';
import { confirm } from './apply.js';

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
    const edited = await chainDrift(home, realFs, state, times);
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
    const r = await inSession(ctx, home, 'revert', (s) => withPackLock(home, ctx.owner, () => revertOnce(home, realFs, { force: Boolean(opts.force), now: ctx.now(), hooks: s.hooks }), waiting ? 'allow' : 'refuse'),
      (x) => [`generation ${x.generation}`, ...x.drifted.map((d) => `kept edited ${d}`)]);
    drifted.push(...r.drifted);
    warnings.push(...r.warnings);
    generation = r.generation;
  }
  const after = await readState(home);
  writeApplyReport(ctx, { command: 'revert', status: 'reverted', home, fromLevel: waiting && journal ? journal.toLevel : state.level, toLevel: after.level, generation, conflicts: [], drifted, warnings }, Boolean(opts.json));
  return EXIT.reverted;
};
