// `serve --repo DIR [--host 127.0.0.1] [--port N]`: serves a repository folder over HTTP for demos and tests
// (production uses any static web server: the layout is plain files). Prints the URL on stdout, so that a script
// can read it (with --port 0 any free port is taken), and runs until SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { EXIT, UpdateError } from '../../core/errors.js';
import { isLoopbackHost } from '../../channel/http/location.js';
import { createStaticHandler, listen } from '../../publish/serve.js';
import { renderServing } from '../../ui/serve.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';
import { optString } from '../options.js';

function optPort(raw: unknown): number {
  const s = raw === undefined ? '8080' : String(raw);
  if (!/^\d+$/.test(s) || Number(s) > 65535) throw new UpdateError('usage', `--port must be a port number from 0 to 65535, got ${JSON.stringify(raw)}`);
  return Number(s);
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const dir = optString(opts, 'repo');
  if (!dir) throw new UpdateError('usage', 'serve needs --repo DIR: the repository folder to serve');
  const root = resolve(ctx.cwd, dir);
  if (!(await stat(root).catch(() => null))?.isDirectory()) {
    throw new UpdateError('not-found', `the repository folder ${root} does not exist`, { hint: 'Give the folder made by `wso2update publish --repo DIR`.' });
  }
  const host = optString(opts, 'host') ?? '127.0.0.1';
  const port = optPort(opts.port);
  const server = await listen(createStaticHandler(root), host, port).catch((err: NodeJS.ErrnoException) => {
    throw new UpdateError('io', `cannot listen on ${host}:${port}: ${err.code ?? err.message}`, {
      hint: err.code === 'EADDRINUSE' ? 'Another program uses that port: pick another with --port (0 takes any free one).' : 'Check --host and --port.',
      cause: err,
    });
  });
  print(ctx, renderServing(root, server.url, isLoopbackHost(host)));
  await new Promise<void>((done) => {
    const off = ctx.onSignal(() => {
      off();
      void server.close().then(done);
    });
  });
  return EXIT.ok;
};
