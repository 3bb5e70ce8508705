// The publisher's signing keys for the four TUF roles: ed25519 from node:crypto, one PEM file per role
// (`<dir>/<role>.key`, mode 0600, never printed). A key's id is the sha256 of the canonical JSON of its public part,
// as TUF defines it; signing hands back the hex signature that @tufjs/models stores beside `signed`.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { hasModes, HOST_PLATFORM, type Platform } from '../io/platform.js';

export const ROLES = ['root', 'targets', 'snapshot', 'timestamp'] as const;
export type RoleName = (typeof ROLES)[number];

export interface PublicKeyJson {
  keytype: 'ed25519';
  scheme: 'ed25519';
  keyval: { public: string };
}

export interface SigningKey {
  role: RoleName;
  keyId: string;
  public: PublicKeyJson;
  /** Signs bytes, returning the hex signature. */
  sign(data: Uint8Array): string;
}

export const keyFile = (dir: string, role: RoleName): string => join(dir, `${role}.key`);

function publicOf(key: KeyObject): PublicKeyJson {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new UpdateError('invalid-input', 'not an ed25519 key');
  return { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: Buffer.from(jwk.x, 'base64url').toString('hex') } };
}

export const keyIdOf = (pub: PublicKeyJson): string => sha256Hex(canonicalJson(pub));

function signingKey(role: RoleName, priv: KeyObject): SigningKey {
  const pub = publicOf(priv);
  return { role, keyId: keyIdOf(pub), public: pub, sign: (data) => sign(null, data, priv).toString('hex') };
}

/** A fresh key in memory; `save` writes it (0600) and refuses to overwrite one (a lost root key cannot be recovered). */
export function newKey(role: RoleName): SigningKey & { save(dir: string, file?: string): Promise<void> } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    ...signingKey(role, privateKey),
    async save(dir: string, file = keyFile(dir, role)) {
      if (existsSync(file)) {
        throw new UpdateError('usage', `${file} already exists`, { hint: 'Keys are never overwritten: use another --keys folder, or `keygen --rotate ROLE` to replace one.' });
      }
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
    },
  };
}

/**
 * Reads `role`'s key; a key file others can read is refused (it would be a leaked key). Where files have no POSIX
 * modes (Windows reports 0666 for every file, so publish could never run there) the check is the folder's ACL,
 * which Node cannot read: it is skipped, and the README says to keep the keys in a folder only you can open.
 */
export async function loadKey(dir: string, role: RoleName, platform: Platform = HOST_PLATFORM): Promise<SigningKey> {
  const file = keyFile(dir, role);
  const st = await stat(file).catch(() => null);
  if (!st) {
    throw new UpdateError('not-found', `no ${role} key in ${dir} (${file})`, { hint: 'Make the keys with `wso2update keygen --keys DIR`, or point --keys at the folder that holds them.' });
  }
  if (hasModes(platform) && (st.mode & 0o077) !== 0) {
    throw new UpdateError('usage', `${file} is readable by others (mode ${(st.mode & 0o777).toString(8)})`, { hint: `Restrict it: chmod 600 ${file}` });
  }
  let priv: KeyObject;
  try {
    priv = createPrivateKey(await readFile(file));
  } catch (err) {
    throw new UpdateError('invalid-input', `${file} is not a private key in PEM form`, { hint: 'Restore the key file from your backup.', cause: err });
  }
  if (priv.asymmetricKeyType !== 'ed25519') throw new UpdateError('invalid-input', `${file} is a ${priv.asymmetricKeyType} key, not ed25519`);
  return signingKey(role, priv);
}

export async function loadKeys(dir: string, platform: Platform = HOST_PLATFORM): Promise<Record<RoleName, SigningKey>> {
  const out = {} as Record<RoleName, SigningKey>;
  for (const role of ROLES) out[role] = await loadKey(dir, role, platform);
  return out;
}

/**
 * Replaces `role`'s key file with `nextFile` (written before the metadata that lists it, so a crash never loses
 * a key a repository already trusts); the old one moves to `retired/<role>-<keyid prefix>.key`, for the operator to
 * destroy when no client needs it any more.
 */
export async function retireKey(dir: string, key: SigningKey, nextFile: string): Promise<string> {
  const retired = join(dir, 'retired');
  await mkdir(retired, { recursive: true, mode: 0o700 });
  const dest = join(retired, `${key.role}-${key.keyId.slice(0, 16)}.key`);
  await rename(keyFile(dir, key.role), dest);
  await rename(nextFile, keyFile(dir, key.role));
  return dest;
}
