// SSH keys and signatures for the approval tests: made by the installed ssh-keygen (what approvers use) and by
// node:crypto (what our own signer signs with), so that interop is tested both ways.
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { publicKeyBlob, publicKeyLine } from '../../src/core/approval/ssh-keys.js';

export type KeyKind = 'ed25519' | 'ecdsa-256' | 'ecdsa-384' | 'ecdsa-521' | 'rsa';
export const KEY_KINDS: KeyKind[] = ['ed25519', 'ecdsa-256', 'ecdsa-384', 'ecdsa-521', 'rsa'];

export interface SshKeygenKey { path: string; pub: string }

/** An unencrypted key made by ssh-keygen, as an approver would have in ~/.ssh. */
export function sshKeygenKey(dir: string, kind: KeyKind, name: string = kind): SshKeygenKey {
  const path = join(dir, name);
  const [t, b] = kind.startsWith('ecdsa') ? ['ecdsa', kind.slice(6)] : kind === 'rsa' ? ['rsa', '2048'] : ['ed25519', ''];
  execFileSync('ssh-keygen', ['-q', '-t', t, ...(b ? ['-b', b] : []), '-N', '', '-C', name, '-f', path], { stdio: 'pipe' });
  return { path, pub: readFileSync(`${path}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ') };
}

/**
 * `ssh-keygen -Y sign` of a file; returns the armored signature text. It signs a copy in a folder of its own:
 * ssh-keygen writes FILE.sig, which beside the real file would replace an approval already there.
 */
export function sshKeygenSign(key: string, file: string, namespace: string, extra: string[] = []): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'sshsig-')), basename(file));
  copyFileSync(file, copy);
  try {
    execFileSync('ssh-keygen', ['-Y', 'sign', '-f', key, '-n', namespace, ...extra, copy], { stdio: 'pipe' });
    return readFileSync(`${copy}.sig`, 'utf8');
  } finally {
    rmSync(dirname(copy), { recursive: true, force: true });
  }
}

/** `ssh-keygen -Y verify`: exit status and stderr/stdout text. */
export function sshKeygenVerify(dir: string, allowed: string, identity: string, namespace: string, sig: string, message: Uint8Array): { code: number | null; out: string } {
  const allowedPath = join(dir, `allowed-${process.hrtime.bigint()}`);
  const sigPath = `${allowedPath}.sig`;
  writeFileSync(allowedPath, allowed);
  writeFileSync(sigPath, sig);
  const r = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', allowedPath, '-I', identity, '-n', namespace, '-s', sigPath], { input: message });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A key pair Node can sign with, and its SSH public key line. */
export function nodeKey(kind: KeyKind): { privateKey: KeyObject; pub: string } {
  const pair = kind === 'ed25519' ? generateKeyPairSync('ed25519')
    : kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: `P-${kind.slice(6)}` });
  return { privateKey: pair.privateKey, pub: publicKeyLine(publicKeyBlob(pair.publicKey)) };
}
