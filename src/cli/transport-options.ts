// The network flags shared by every command that reads a repository (listed once, in cli/spec.ts's NETWORK_OPTIONS,
// with their meanings and defaults), turned into the run's HTTP settings, with the environment (proxies,
// NODE_EXTRA_CA_CERTS, UPDATE_TOOL_*). cli/wso2compat.ts maps WSO2's -u and -p to --username and --password.
import { resolve } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { resolveCredentials } from '../channel/credentials.js';
import { configureHttp } from '../channel/http/settings.js';
import type { CliContext, RawOptions } from './context.js';
import { optString } from './options.js';
import { ask } from './prompt.js';
import { NETWORK_OPTIONS } from './spec.js';

/** The numeric flags' accepted ranges; their defaults are the table's, the value `--help` prints. */
const RANGES = { parallel: [1, 64], 'connect-timeout': [0.1, 600], 'read-timeout': [0.1, 3600] } as const;
type NumericFlag = keyof typeof RANGES;

function tableDefault(flag: NumericFlag): number {
  const n = Number(NETWORK_OPTIONS.find((o) => o.flags.startsWith(`--${flag} `))?.default);
  // The table is ours: a numeric flag without a numeric default is a slip in cli/spec.ts, caught by the first run.
  if (!Number.isFinite(n)) throw new Error(`cli/spec.ts: --${flag} has no numeric default`);
  return n;
}

function optNumber(opts: RawOptions, flag: NumericFlag): number {
  const v = opts[flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
  if (v === undefined) return tableDefault(flag);
  const [min, max] = RANGES[flag];
  const n = typeof v === 'number' ? v : /^\d+(\.\d+)?$/.test(String(v)) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) throw new UpdateError('usage', `--${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

export function configureTransport(ctx: CliContext, opts: RawOptions): void {
  const caFile = optString(opts, 'caFile', 'ca-file');
  const parallel = optNumber(opts, 'parallel');
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
    connectTimeoutMs: optNumber(opts, 'connect-timeout') * 1000,
    readTimeoutMs: optNumber(opts, 'read-timeout') * 1000,
    credentials: creds.given,
    askCredentials: creds.ask,
  });
}
