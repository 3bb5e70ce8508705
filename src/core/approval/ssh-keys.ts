// SSH public keys (the `ssh-ed25519 AAAA...` of an allowed_signers line, the publickey field of an SSHSIG blob)
// to node:crypto KeyObjects via JWK, and back; and the SHA256 fingerprint that ssh-keygen -l prints.
// Supported: ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa. Security-key (sk-*) and certificate key types are
// refused by name: they sign different data (flags, counter) or need a CA check this module does not do.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { UpdateError } from '../errors.js';
import { sshMpint, sshString, WireReader } from './ssh-wire.js';

export interface SshPublicKey {
  /** `ssh-ed25519`, `ecdsa-sha2-nistp256`, ... */
  type: string;
  /** The wire blob exactly as received: what fingerprints and key comparisons are computed over. */
  blob: Buffer;
  key: KeyObject;
}

const CURVES: Record<string, { id: string; jwk: string; size: number; hash: string }> = {
  'ecdsa-sha2-nistp256': { id: 'nistp256', jwk: 'P-256', size: 32, hash: 'sha256' },
  'ecdsa-sha2-nistp384': { id: 'nistp384', jwk: 'P-384', size: 48, hash: 'sha384' },
  'ecdsa-sha2-nistp521': { id: 'nistp521', jwk: 'P-521', size: 66, hash: 'sha512' },
};

/** The digest an ECDSA key type signs with (RFC 5656 section 6.2.1). */
export const ecdsaHashOf = (type: string): string | undefined => CURVES[type]?.hash;
export const ecdsaSizeOf = (type: string): number | undefined => CURVES[type]?.size;

export const KEY_TYPES = ['ssh-ed25519', ...Object.keys(CURVES), 'ssh-rsa'] as const;

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

function unsupported(type: string): never {
  const why = type.startsWith('sk-')
    ? 'security-key (FIDO) signatures are not supported'
    : type.includes('-cert-v01@openssh.com') ? 'certificates are not supported' : 'this key type is not supported';
  throw new UpdateError('verification', `SSH key type ${JSON.stringify(type)}: ${why}`, {
    hint: `Use an ${KEY_TYPES.slice(0, 2).join(' or ')} (or other ECDSA, or RSA) key.`,
  });
}

/** Parses a public key blob; the whole blob must be consumed. */
export function parsePublicKey(blob: Uint8Array, what = 'SSH public key'): SshPublicKey {
  const r = new WireReader(blob, what);
  const type = r.text('key type');
  let jwk: Record<string, string>;
  if (type === 'ssh-ed25519') {
    const pk = r.string('ed25519 key', 64);
    if (pk.length !== 32) throw new UpdateError('verification', `${what}: an ed25519 key is 32 bytes, not ${pk.length}`);
    jwk = { kty: 'OKP', crv: 'Ed25519', x: b64u(pk) };
  } else if (CURVES[type]) {
    const c = CURVES[type];
    const curve = r.text('curve');
    if (curve !== c.id) throw new UpdateError('verification', `${what}: key type ${type} names curve ${curve}`);
    const q = r.string('ECDSA point', 1 + 2 * c.size);
    if (q.length !== 1 + 2 * c.size || q[0] !== 4) throw new UpdateError('verification', `${what}: not an uncompressed ${c.id} point`);
    jwk = { kty: 'EC', crv: c.jwk, x: b64u(q.subarray(1, 1 + c.size)), y: b64u(q.subarray(1 + c.size)) };
  } else if (type === 'ssh-rsa') {
    const e = r.mpint('RSA exponent');
    const n = r.mpint('RSA modulus');
    // OpenSSH refuses RSA keys under 1024 bits (SSH_RSA_MINIMUM_MODULUS_SIZE); so do we.
    if (n.length * 8 < 1024 || e.length === 0) throw new UpdateError('verification', `${what}: RSA key too small (${n.length * 8} bits; at least 1024)`);
    jwk = { kty: 'RSA', e: b64u(e), n: b64u(n) };
  } else unsupported(type);
  r.end();
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch (err) {
    // Node refuses points not on the curve and similar: a forged key, reported as such.
    throw new UpdateError('verification', `${what}: not a valid ${type} key (${(err as Error).message})`, { cause: err });
  }
  return { type, blob: Buffer.from(blob), key };
}

/** The wire blob of a KeyObject (the signer side, and tests); the inverse of parsePublicKey. */
export function publicKeyBlob(key: KeyObject): Buffer {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  const jwk = pub.export({ format: 'jwk' }) as Record<string, string>;
  const raw = (s: string): Buffer => Buffer.from(s, 'base64url');
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return Buffer.concat([sshString('ssh-ed25519'), sshString(raw(jwk.x))]);
  if (jwk.kty === 'EC') {
    const [type, c] = Object.entries(CURVES).find(([, v]) => v.jwk === jwk.crv) ?? unsupported(`EC ${jwk.crv}`);
    return Buffer.concat([sshString(type), sshString(c.id), sshString(Buffer.concat([Buffer.of(4), raw(jwk.x), raw(jwk.y)]))]);
  }
  if (jwk.kty === 'RSA') return Buffer.concat([sshString('ssh-rsa'), sshMpint(raw(jwk.e)), sshMpint(raw(jwk.n))]);
  return unsupported(`${jwk.kty} ${jwk.crv ?? ''}`.trim());
}

/** `SHA256:...` as `ssh-keygen -l` prints it (unpadded base64 of the blob's sha256). */
export const fingerprint = (blob: Uint8Array): string => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/** `ssh-ed25519 AAAA...`: the authorized_keys / allowed_signers form of a key. */
export const publicKeyLine = (blob: Uint8Array): string => {
  const type = new WireReader(blob, 'SSH public key').text('key type');
  return `${type} ${Buffer.from(blob).toString('base64')}`;
};
