// `check`: are newer levels published? Exit 10 when they are (scripts branch on it), 0 when up to date.
import { EXIT } from '../../core/errors.js';
import { openPackRepository } from '../../channel/open.js';
import { openPack } from '../../io/pack.js';
import { readState, resolveHome } from '../../io/state.js';
import { assertPending } from '../../io/pending-run.js';
import { renderCheck } from '../../ui/status.js';
import { packOf, type CommandRun } from '../context.js';
import { print } from '../print.js';
import { optRepo } from '../options.js';

export const run: CommandRun = async (ctx, _args, opts) => {
  const pack = packOf(ctx, opts);
  const { home } = pack;
  const state = await readState(pack);
  await assertPending(pack);
  const repo = await openPackRepository(pack, state, { repo: optRepo(opts, ctx.cwd), cache: false });
  const levels = (await repo.levels(state.product)).filter((l) => l > state.level);
  const newer = [];
  for (const level of levels) {
    const d = await repo.descriptor(state.product, level);
    newer.push({ level, title: d.title, date: d.date, advisories: d.securityAdvisories.length });
  }
  print(ctx, renderCheck({ prog: ctx.prog, shell: ctx.shell, home }, state.product, state.level, newer, Boolean(opts.json)));
  return newer.length ? EXIT.changes : EXIT.ok;
};
