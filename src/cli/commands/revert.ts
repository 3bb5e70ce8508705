// `revert`: undo the last apply (or, with --to-level N, several), through the same journaled executor. From the
// waiting state of a conflicted apply it rolls that apply back. Exit 4 (WSO2's "reverted") on success; "nothing to
// revert" is the same refusal (exit 1) whether asked plainly or with --to-level; --dry-run says what would be undone.
import { withPackLock } from '../../apply/apply.js';
import { chainDrift, lastUpdate, revertChain, revertOnce, revertPreview } from '../../apply/revert.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import { realFs } from '../../io/fsops.js';
import { journalStatus, pendingRefusal } from '../../io/journal.js';
import { readState, resolveHome } from '../../io/state.js';
import { writeApplyReport } from '../../ui/apply-report.js';
import type { CommandRun } from '../context.js';
import { optLevel } from '../options.js';
import { inSession } from '../apply-session.js';
import { confirm } from './apply.js';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export const run: CommandRun = async (ctx, _args, opts) => {
  const home = resolveHome(ctx.cwd, opts.home);
  const inv = { prog: ctx.prog, home };
  const to = optLevel(opts, 'toLevel', '--to-level');
  const state = await readState(home);
  const pending = await journalStatus(home);
  const refusal = pendingRefusal(home, pending, ['none', 'waiting']);
  if (refusal) throw refusal;
  const journal = pending.journal;
  const waiting = pending.pending === 'waiting';
  let times = 1;
  let what: string;
  if (waiting && journal) {
    what = `Roll back the update that waits on conflicts: level ${journal.toLevel} -> ${journal.fromLevel}`;
  } else {
    if (to === undefined) lastUpdate(state); // "nothing to revert", before any question
    else times = revertChain(state, to);
    const p = await revertPreview(home, realFs, state, times);
    what = `Revert ${count(p.updates, 'update', 'updates')}: level ${p.fromLevel} -> ${p.toLevel}, ${count(p.files, 'file', 'files')}`;
  }
  if (opts.dryRun) {
    ctx.stderr.write(`Would ${what[0].toLowerCase()}${what.slice(1)}. Nothing was changed (--dry-run).\n`);
    return EXIT.ok;
  }
  if (!(await confirm(ctx, opts, `${what}?`))) {
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
    const r = await inSession(ctx, home, 'revert', (s) => withPackLock(home, ctx.owner, () => revertOnce(home, realFs, { force: Boolean(opts.force), now: ctx.now(), hooks: s.hooks }), waiting ? ['waiting'] : ['none']),
      (x) => [`generation ${x.generation}`, ...x.drifted.map((d) => `kept edited ${d}`)]);
    drifted.push(...r.drifted);
    warnings.push(...r.warnings);
    generation = r.generation;
  }
  const after = await readState(home);
  writeApplyReport(ctx, inv, { command: 'revert', status: 'reverted', home, fromLevel: waiting && journal ? journal.toLevel : state.level, toLevel: after.level, generation, conflicts: [], drifted, warnings }, Boolean(opts.json));
  return EXIT.reverted;
};
