// SSHSIG, the signature format of `ssh-keygen -Y sign` (OpenSSH PROTOCOL.sshsig), read and written from the
// specification with node:crypto: the armored file, the blob, the signed data, and verification for ed25519,
// ECDSA P-256/384/521 and RSA (rsa-sha2-256/512; SHA-1 `ssh-rsa` is refused, as OpenSSH refuses it for SSHSIG).
import { createHash, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { UpdateError } from '../errors.js';
import { ecdsaHashOf, ecdsaSizeOf, fingerprint, parsePublicKey, publicKeyBlob, type SshPublicKey } from './ssh-keys.js';
import { sshMpint, sshString, u32be, WireReader } from './ssh-wire.js';

const MAGIC = Buffer.from('SSHSIG', 'latin1');
const VERSION = 1;
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';
export const HASH_ALGORITHMS = ['sha256', 'sha512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];
/** An armored signature is under 3 KiB even for RSA-8192; a bigger file is not one. */
export const MAX_ARMORED = 64 * 1024;

export interface SshSignature {
  publicKey: SshPublicKey;
  fingerprint: string;
  namespace: string;
  reserved: Buffer;
  hashAlgorithm: HashAlgorithm;
  /** The signature's own algorithm (`ssh-ed25519`, `rsa-sha2-512`, ...) and its raw bytes. */
  sigType: string;
  sigBytes: Buffer;
}

const bad = (what: string, why: string): UpdateError =>
  new UpdateError('verification', `${what}: ${why}`, { hint: 'An approval is the file `ssh-keygen -Y sign -n wso2update-plan` writes: sign the plan again.' });

/** The armored text to the blob: exactly one BEGIN/END pair, strict base64 between. */
export function dearmor(text: string | Uint8Array, what = 'signature'): Buffer {
  if (text.length > MAX_ARMORED) throw bad(what, `${text.length} bytes is too large for an SSH signature (at most ${MAX_ARMORED})`);
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
  const lines = s.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines[0] !== BEGIN || lines[lines.length - 1] !== END || lines.length < 3) throw bad(what, `not an SSH signature (expected ${BEGIN} ... ${END})`);
  const body = lines.slice(1, -1).join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) throw bad(what, 'the armored body is not valid base64');
  return Buffer.from(body, 'base64');
}

export function armor(blob: Uint8Array): string {
  // ssh-keygen wraps at 70 columns; doing the same makes our files byte-identical to its own.
  const b64 = Buffer.from(blob).toString('base64');
  const lines = b64.match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

/** Parses (never verifies) a signature blob; every field bounded, nothing left over. */
export function parseSignature(blob: Uint8Array, what = 'signature'): SshSignature {
  const r = new WireReader(blob, what);
  if (!MAGIC.equals(r.bytes(MAGIC.length))) throw bad(what, 'wrong magic (not an SSHSIG blob)');
  const version = r.u32();
  if (version !== VERSION) throw bad(what, `SSHSIG version ${version} (only version ${VERSION} is defined)`);
  const keyBlob = r.string('publickey');
  const namespace = r.text('namespace');
  if (namespace === '') throw bad(what, 'empty namespace');
  const reserved = Buffer.from(r.string('reserved', 1024));
  const hash = r.text('hash_algorithm');
  if (!(HASH_ALGORITHMS as readonly string[]).includes(hash)) throw bad(what, `hash algorithm ${JSON.stringify(hash)} (allowed: ${HASH_ALGORITHMS.join(', ')})`);
  const sig = new WireReader(r.string('signature'), `${what} (signature field)`);
  r.end();
  const sigType = sig.text('signature type');
  const sigBytes = Buffer.from(sig.string('signature bytes'));
  sig.end();
  const publicKey = parsePublicKey(keyBlob, `${what} (public key)`);
  return { publicKey, fingerprint: fingerprint(publicKey.blob), namespace, reserved, hashAlgorithm: hash as HashAlgorithm, sigType, sigBytes };
}

export const readSignature = (text: string | Uint8Array, what = 'signature'): SshSignature => parseSignature(dearmor(text, what), what);

/** What is actually signed: the preamble, namespace, reserved, hash algorithm and the message's hash. */
export function signedData(namespace: string, reserved: Uint8Array, hash: HashAlgorithm, message: Uint8Array): Buffer {
  const h = createHash(hash).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(reserved), sshString(hash), sshString(h)]);
}

/** Why the signature type cannot be checked with this key, or null when it matches. */
function typeMismatch(keyType: string, sigType: string): string | null {
  if (keyType === 'ssh-rsa') {
    if (sigType === 'ssh-rsa') return 'RSA signature with SHA-1 (ssh-rsa) is not accepted; sign with rsa-sha2-512';
    return sigType === 'rsa-sha2-256' || sigType === 'rsa-sha2-512' ? null : `signature type ${sigType} for an RSA key`;
  }
  return sigType === keyType ? null : `signature type ${sigType} for a ${keyType} key`;
}

/**
 * Whether the signature is a valid signature by its own public key over `message`. Namespace and who the key
 * belongs to are the caller's questions (core/approval/decide.ts); a structural mismatch throws.
 */
export function verifySignature(sig: SshSignature, message: Uint8Array, what = 'signature'): boolean {
  const mismatch = typeMismatch(sig.publicKey.type, sig.sigType);
  if (mismatch) throw bad(what, mismatch);
  const data = signedData(sig.namespace, sig.reserved, sig.hashAlgorithm, message);
  const key = sig.publicKey.key;
  if (sig.publicKey.type === 'ssh-ed25519') return sig.sigBytes.length === 64 && cryptoVerify(null, data, key, sig.sigBytes);
  const ecHash = ecdsaHashOf(sig.publicKey.type);
  if (ecHash) {
    const size = ecdsaSizeOf(sig.publicKey.type) ?? 0;
    const r = new WireReader(sig.sigBytes, `${what} (ECDSA signature)`);
    const parts = [r.mpint('r'), r.mpint('s')];
    r.end();
    if (parts.some((p) => p.length > size)) return false;
    const rs = Buffer.concat(parts.map((p) => Buffer.concat([Buffer.alloc(size - p.length), p])));
    return cryptoVerify(ecHash, data, { key, dsaEncoding: 'ieee-p1363' }, rs);
  }
  // RSA: some signers drop leading zeros of S (RFC 8332 section 3), so pad it back to the modulus length.
  const modulus = (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (sig.sigBytes.length > modulus) return false;
  const s = Buffer.concat([Buffer.alloc(modulus - sig.sigBytes.length), sig.sigBytes]);
  return cryptoVerify(sig.sigType === 'rsa-sha2-256' ? 'sha256' : 'sha512', data, key, s);
}

/**
 * Signs `message` with a private KeyObject into an armored SSHSIG, as `ssh-keygen -Y sign` would (sha512, RSA
 * with rsa-sha2-512). Node cannot read OpenSSH private key files, so `approve` calls ssh-keygen; this signer serves
 * keys Node can load (PKCS#8 PEM) and the interop tests that check our encoding with `ssh-keygen -Y verify`.
 */
export function signMessage(message: Uint8Array, privateKey: KeyObject, namespace: string, hash: HashAlgorithm = 'sha512'): string {
  const keyBlob = publicKeyBlob(privateKey);
  const type = new WireReader(keyBlob, 'key').text('key type');
  const data = signedData(namespace, Buffer.alloc(0), hash, message);
  let sigType = type;
  let sigBytes: Buffer;
  const ecHash = ecdsaHashOf(type);
  if (type === 'ssh-ed25519') sigBytes = cryptoSign(null, data, privateKey);
  else if (ecHash) {
    const size = ecdsaSizeOf(type) ?? 0;
    const rs = cryptoSign(ecHash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    sigBytes = Buffer.concat([sshMpint(rs.subarray(0, size)), sshMpint(rs.subarray(size))]);
  } else {
    sigType = 'rsa-sha2-512';
    sigBytes = cryptoSign('sha512', data, privateKey);
  }
  const blob = Buffer.concat([MAGIC, u32be(VERSION), sshString(keyBlob), sshString(namespace), sshString(Buffer.alloc(0)), sshString(hash),
    sshString(Buffer.concat([sshString(sigType), sshString(sigBytes)]))]);
  return armor(blob);
}
