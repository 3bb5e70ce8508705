// `publish-hotfix --repo DIR --product P --level L --id ID --tree DIR [--files A,B] [--remove PATH]... [--title T]
// [--description D | --notes FILE.yaml] [--date D] [--keys DIR] [--json]`: the support side. A signed repository is
// re-signed with --keys (the record becomes a TUF target); publish/hotfix.ts does the work.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UpdateError } from '../../core/errors.js';
import { assertHotfixId } from '../../core/hotfix.js';
import { publishHotfix } from '../../publish/hotfix.js';
import { signRepository } from '../../publish/sign.js';
import { parseYamlFile, type NotesFile } from '../../io/validate.js';
import { renderHotfixPublished } from '../../ui/publish.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';
import { optLevel, optString, optStrings } from '../options.js';
import { optExpiry, optKeys, publisherKeys } from '../signing.js';

function required(opts: Record<string, unknown>, key: string, example: string): string {
  const v = optString(opts, key);
  if (v === undefined || v === '') throw new UpdateError('usage', `publish-hotfix needs --${key}`, { hint: `For example: --${key} ${example}` });
  return v;
}

/** `--files a,b --files c`: paths relative to --tree. */
const listOf = (opts: Record<string, unknown>, key: string): string[] => optStrings(opts, key).flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');

export const run: CommandRun = async (ctx, _args, opts) => {
  const repo = resolve(ctx.cwd, required(opts, 'repo', '/srv/wso2-updates'));
  const id = required(opts, 'id', 'WSO2-HF-2026-0042');
  assertHotfixId(id, '--id'); // before any key or tree is read
  const keys = await publisherKeys(repo, optKeys(opts, ctx.cwd), 'publish-hotfix');
  const product = required(opts, 'product', 'wso2am-4.2.0');
  required(opts, 'level', '3');
  const level = optLevel(opts, 'level', 'level', product) as number;
  const tree = resolve(ctx.cwd, required(opts, 'tree', './hotfix-files'));
  const notesFile = optString(opts, 'notes');
  const notes = notesFile === undefined ? undefined : parseYamlFile<NotesFile>(await readFile(resolve(ctx.cwd, notesFile), 'utf8'), notesFile, 'notes');
  const date = optString(opts, 'date') ?? notes?.date ?? ctx.now().toISOString().slice(0, 10);
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) throw new UpdateError('usage', `--date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const files = listOf(opts, 'files');
  const result = await publishHotfix({
    repo, product, level, id, tree, files: files.length > 0 ? files : undefined, removes: listOf(opts, 'remove'), date,
    title: optString(opts, 'title') ?? notes?.title ?? `Hotfix ${id}`, description: optString(opts, 'description') ?? notes?.description ?? '',
  });
  const signed = keys && !result.unchanged ? await signRepository(repo, keys, { now: ctx.now(), expiry: optExpiry(opts) }) : undefined;
  print(ctx, renderHotfixPublished(result, signed, Boolean(opts.json)));
  return EXIT.ok;
};
