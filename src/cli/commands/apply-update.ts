// `apply-update FILE` (WSO2's offline update): plan from the bundle, show the summary, ask, apply; exactly `apply`
// with the bundle as the repository and its last level as the default target (cli/bundle-input.ts checks it first).
import { UpdateError } from '../../core/errors.js';
import { resolveHome } from '../../io/state.js';
import { bundleRequest } from '../bundle-input.js';
import { packOf, type CommandRun } from '../context.js';
import { keepYoungGenerationSmall } from '../young-generation.js';

export const run: CommandRun = async (ctx, args, opts) => {
  keepYoungGenerationSmall();
  if (!args[0]) throw new UpdateError('usage', 'apply-update needs the bundle file', { hint: `For example: ${ctx.prog} apply-update wso2am-4.2.0-1-3.tar --home /opt/wso2am-4.2.0` });
  const pack = packOf(ctx, opts);
  const { home } = pack;
  const b = await bundleRequest(ctx, pack, args[0], opts);
  try {
    const apply = await import('./apply.js');
    return await apply.run(ctx, [], { ...opts, repo: b.repo, level: String(b.level) });
  } finally {
    await b.release();
  }
};
