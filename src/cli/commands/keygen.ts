// `keygen --keys DIR`: ed25519 keys for the four TUF roles, each private file 0600 and never printed (only key ids
// are). `keygen --keys DIR --rotate ROLE --repo REPO`: a new key for ROLE and the next root of REPO listing it,
// signed by the old and new root keys; the old key is kept in DIR/retired/.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { EXIT, UpdateError } from '../../core/errors.js';
import { keyFile, loadKeys, newKey, retireKey, ROLES, type RoleName } from '../../publish/keys.js';
import { rotateKey } from '../../publish/sign.js';
import { renderKeyRotated, renderKeysMade } from '../../ui/keys.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';
import { optString } from '../options.js';
import { optExpiry, optKeys } from '../signing.js';
import { resolve } from 'node:path';

export const run: CommandRun = async (ctx, _args, opts) => {
  const dir = optKeys(opts, ctx.cwd);
  if (!dir) throw new UpdateError('usage', 'keygen needs --keys DIR: the folder for the private keys (keep it offline)');
  const rotate = optString(opts, 'rotate');
  if (rotate === undefined) {
    const existing = ROLES.filter((r) => existsSync(keyFile(dir, r)));
    if (existing.length > 0) throw new UpdateError('usage', `${dir} already holds keys (${existing.join(', ')})`, { hint: 'Keys are never overwritten: use a new folder, or `--rotate ROLE --repo REPO` to replace one.' });
    const made = ROLES.map((r) => newKey(r));
    for (const k of made) await k.save(dir);
    print(ctx, renderKeysMade(dir, made, Boolean(opts.json)));
    return EXIT.ok;
  }
  if (!(ROLES as readonly string[]).includes(rotate)) throw new UpdateError('usage', `--rotate must be one of ${ROLES.join(', ')}, got ${JSON.stringify(rotate)}`);
  const repoOpt = optString(opts, 'repo');
  if (!repoOpt) throw new UpdateError('usage', 'keygen --rotate needs --repo DIR: the signed repository whose root lists the key');
  const repo = resolve(ctx.cwd, repoOpt);
  const keys = await loadKeys(dir);
  const role = rotate as RoleName;
  const next = newKey(role);
  const nextFile = join(dir, `${role}.key.next`);
  if (existsSync(nextFile)) throw new UpdateError('usage', `${nextFile} is left from an interrupted rotation`, { hint: 'Check which key the repository\'s newest root lists, then keep or remove that file.' });
  await next.save(dir, nextFile);
  const { rootVersion } = await rotateKey(repo, keys, next, { now: ctx.now(), expiry: optExpiry(opts) });
  const retired = await retireKey(dir, keys[role], nextFile);
  print(ctx, renderKeyRotated({ role, keyId: next.keyId, rootVersion, retired }, Boolean(opts.json)));
  return EXIT.ok;
};
