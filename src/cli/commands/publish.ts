// `publish --repo DIR --product NAME-VERSION --level N --tree DIR [--notes FILE.yaml] [--exclude GLOB...]
// [--date YYYY-MM-DD] [--keys DIR] [--json]`: the vendor side. Options are checked here; publish/level.ts does the
// work and publish/sign.ts signs with --keys. `publish --repo DIR --keys DIR --refresh-timestamp` re-signs only
// the timestamp (a cron job keeps it fresh).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UpdateError } from '../../core/errors.js';
import { publish } from '../../publish/level.js';
import { parseYamlFile, type NotesFile } from '../../io/validate.js';
import { renderPublished, renderTimestampRefreshed } from '../../ui/publish.js';
import { renderDiagnostics } from '../../ui/diagnostics.js';
import type { Diagnostic } from '../../core/errors.js';
import { optLevel, optString, optStrings } from '../options.js';
import { loadKey } from '../../publish/keys.js';
import { refreshTimestamp, signRepository } from '../../publish/sign.js';
import { optExpiry, optKeys, publisherKeys } from '../signing.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';

function required(opts: Record<string, unknown>, key: string, example: string): string {
  const v = optString(opts, key);
  if (v === undefined || v === '') throw new UpdateError('usage', `publish needs --${key}`, { hint: `For example: --${key} ${example}` });
  return v;
}

async function readNotes(file: string, warnings: Diagnostic[]): Promise<NotesFile> {
  const text = await readFile(file, 'utf8').catch((err) => {
    throw new UpdateError('not-found', `cannot read the notes file ${file}`, { hint: 'Check --notes.', cause: err });
  });
  return parseYamlFile<NotesFile>(text, file, 'notes', warnings);
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const repo = resolve(ctx.cwd, required(opts, 'repo', '/srv/wso2-updates'));
  const keysDir = optKeys(opts, ctx.cwd);
  const expiry = optExpiry(opts);
  if (opts.refreshTimestamp) {
    if (!keysDir) throw new UpdateError('usage', 'publish --refresh-timestamp needs --keys DIR (only the timestamp key is used)');
    const r = await refreshTimestamp(repo, await loadKey(keysDir, 'timestamp'), { now: ctx.now(), expiry });
    print(ctx, renderTimestampRefreshed(repo, r, Boolean(opts.json)));
    return EXIT.ok;
  }
  const keys = await publisherKeys(repo, keysDir, 'publish');
  const product = required(opts, 'product', 'wso2am-4.2.0');
  required(opts, 'level', '3');
  const level = optLevel(opts, 'level', 'level', product) as number;
  const tree = resolve(ctx.cwd, required(opts, 'tree', './wso2am-4.2.0'));
  const date = optString(opts, 'date');
  if (date !== undefined && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) {
    throw new UpdateError('usage', `--date must be YYYY-MM-DD, got ${JSON.stringify(date)}`, { hint: 'For example: --date 2024-03-01' });
  }
  const notesFile = optString(opts, 'notes');
  const warnings: Diagnostic[] = [];
  const notes = notesFile === undefined ? undefined : await readNotes(resolve(ctx.cwd, notesFile), warnings);
  print(ctx, { stderr: renderDiagnostics(warnings), stdout: '' });
  const started = ctx.now().getTime();
  const result = await publish({
    repo, product, level, tree, notes, excludes: optStrings(opts, 'exclude'),
    date: date ?? notes?.date ?? ctx.now().toISOString().slice(0, 10),
  });
  const signed = keys ? await signRepository(repo, keys, { now: ctx.now(), expiry }) : undefined;
  print(ctx, renderPublished(signed ? { ...result, signed } : result, { json: Boolean(opts.json), seconds: (ctx.now().getTime() - started) / 1000 }));
  return EXIT.ok;
};
