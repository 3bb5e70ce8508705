// The network flags shared by every command that reads a repository, turned into the run's HTTP settings:
// --ca-file, --allow-http, --parallel, --connect-timeout, --read-timeout, -u/--username, -p/--password (WSO2's
// flags; cli/wso2compat.ts maps -u and -p), with the environment (proxies, NODE_EXTRA_CA_CERTS, UPDATE_TOOL_*).
import { resolve } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { resolveCredentials } from '../channel/credentials.js';
import { configureHttp } from '../channel/http/settings.js';
import type { CliContext, RawOptions } from './context.js';
import { optString } from './options.js';
import { ask } from './prompt.js';

interface Command {
  option(raw: string, description: string): Command;
}

export function networkOptions<C extends Command>(cmd: C): C {
  return cmd
    .option('--ca-file <pem>', 'Trust this CA for https (beside the system CAs and NODE_EXTRA_CA_CERTS)')
    .option('--allow-http', 'Allow plain http to hosts other than this machine')
    .option('--parallel <n>', 'Parallel downloads (default 8)')
    .option('--connect-timeout <seconds>', 'Give up connecting after this long (default 15)')
    .option('--read-timeout <seconds>', 'Give up on a silent server after this long (default 30)')
    .option('--username <user>', 'Repository user name (WSO2: -u; else UPDATE_TOOL_USERNAME)')
    .option('--password <password>', 'Repository password (WSO2: -p; else UPDATE_TOOL_PASSWORD, else asked on a terminal)') as C;
}

function optNumber(opts: RawOptions, key: string, flag: string, min: number, max: number, fallback: number): number {
  const v = opts[key];
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : /^\d+(\.\d+)?$/.test(String(v)) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) throw new UpdateError('usage', `--${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

export function configureTransport(ctx: CliContext, opts: RawOptions): void {
  const caFile = optString(opts, 'caFile', 'ca-file');
  const parallel = optNumber(opts, 'parallel', 'parallel', 1, 64, 8);
  if (!Number.isInteger(parallel)) throw new UpdateError('usage', `--parallel must be a whole number, got ${parallel}`);
  const creds = resolveCredentials({
    username: optString(opts, 'username'),
    password: optString(opts, 'password'),
    env: ctx.env,
    prompt: ctx.canPrompt ? (q, hidden) => ask(ctx, q, hidden) : undefined,
  });
  configureHttp({
    env: ctx.env,
    caFile: caFile === undefined ? undefined : resolve(ctx.cwd, caFile),
    allowHttp: Boolean(opts.allowHttp),
    connections: parallel,
    connectTimeoutMs: optNumber(opts, 'connectTimeout', 'connect-timeout', 0.1, 600, 15) * 1000,
    readTimeoutMs: optNumber(opts, 'readTimeout', 'read-timeout', 0.1, 3600, 30) * 1000,
    credentials: creds.given,
    askCredentials: creds.ask,
  });
}
