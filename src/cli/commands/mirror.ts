// `mirror --from URL|DIR --to DIR [--product P]... [--levels A..B] (--trust-root ROOT.json | --trust-root-sha256 HEX
// | --allow-unsigned)`: copies a channel for an air-gapped site, verifying all it copies (publish/mirror/mirror.ts).
import { resolve } from 'node:path';
import { EXIT, UpdateError } from '../../core/errors.js';
import { mirror } from '../../publish/mirror/mirror.js';
import { openTransport } from '../../channel/open.js';
import { assertOutFolder } from '../../io/out-folder.js';
import { renderMirrored } from '../../ui/mirror.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';
import { optString, optStrings, optTrustRoot } from '../options.js';

/** `3..7`, `3..`, `..7` or `5` (inclusive). */
export function parseLevels(raw: string | undefined): { from?: number; to?: number } | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d*)\.\.(\d*)$/.exec(raw.trim()) ?? /^()(\d+)$/.exec(raw.trim());
  if (!m || (m[1] === '' && m[2] === '')) throw new UpdateError('usage', `--levels must be A..B, A.., ..B or N (whole numbers), got ${JSON.stringify(raw)}`);
  if (!raw.includes('..')) return { from: Number(m[2]), to: Number(m[2]) };
  const out = { from: m[1] === '' ? undefined : Number(m[1]), to: m[2] === '' ? undefined : Number(m[2]) };
  if (out.from !== undefined && out.to !== undefined && out.from > out.to) throw new UpdateError('usage', `--levels ${raw}: the first level is above the last`);
  return out;
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const from = optString(opts, 'from');
  const to = optString(opts, 'to');
  if (!from || !to) throw new UpdateError('usage', 'mirror needs --from URL|DIR and --to DIR', { hint: 'For example: wso2update mirror --from /srv/wso2-updates --to /media/usb/wso2-updates --trust-root root.json' });
  const source = /^https?:\/\//i.test(from) ? from : resolve(ctx.cwd, from);
  const dest = resolve(ctx.cwd, to);
  if (dest === source) throw new UpdateError('usage', '--to is the same folder as --from');
  assertOutFolder(dest, '--to');
  const started = ctx.now().getTime();
  const transport = await openTransport(source);
  // Ctrl-C: fetches stop and the run's staged files are removed, so the copy is left exactly as it was.
  const abort = new AbortController();
  const off = ctx.onSignal(() => abort.abort());
  let r;
  try {
    r = await mirror({
      from: transport, to: dest,
      trust: { ...optTrustRoot(opts, ctx.cwd), allowUnsigned: Boolean(opts.allowUnsigned) },
      products: opts.product === undefined ? undefined : optStrings(opts, 'product'),
      levels: parseLevels(optString(opts, 'levels')),
      signal: abort.signal,
    });
  } finally {
    off();
    await transport.close?.();
  }
  print(ctx, renderMirrored(r, (ctx.now().getTime() - started) / 1000, Boolean(opts.json)));
  return EXIT.ok;
};
