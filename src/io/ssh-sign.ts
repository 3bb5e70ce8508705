// `approve`'s signer: the installed ssh-keygen (`-Y sign`), because Node's crypto cannot read OpenSSH private keys
// and ssh-keygen already does everything an approver's key needs: passphrase prompts on the terminal, and the
// ssh-agent when KEY is the public half (ssh-keygen(1) -Y sign). The result is checked in-process before it is kept.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_ARMORED, readSignature, verifySignature, type SshSignature } from '../core/approval/sshsig.js';
import { UpdateError } from '../core/errors.js';

export interface SignOptions {
  /** The ssh-keygen to run (default: the one on PATH). */
  sshKeygen?: string;
  /** Environment for ssh-keygen (SSH_AUTH_SOCK for the agent); default: this process's. */
  env?: NodeJS.ProcessEnv;
}

/** Signs `message` with KEY in `namespace`; returns the armored signature and what it says (key, fingerprint). */
export async function sshKeygenSign(message: Uint8Array, keyFile: string, namespace: string, opts: SignOptions = {}): Promise<{ text: string; sig: SshSignature }> {
  const dir = await mkdtemp(join(tmpdir(), 'wso2update-approve-'));
  try {
    // ssh-keygen signs a file into FILE.sig; a private copy keeps it away from a PLAN.sig that already exists.
    const file = join(dir, 'plan');
    await writeFile(file, message, { mode: 0o600 });
    const exe = opts.sshKeygen ?? 'ssh-keygen';
    const stderr = await new Promise<string>((resolve, reject) => {
      // stdin and stdout stay the user's (ssh-keygen asks for a passphrase on the terminal); stderr is kept for the error.
      const child = spawn(exe, ['-Y', 'sign', '-f', keyFile, '-n', namespace, file], { stdio: ['inherit', 'inherit', 'pipe'], env: opts.env });
      let err = '';
      child.stderr.on('data', (d: Buffer) => { err = (err + d.toString('utf8')).slice(-4000); });
      child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT'
        ? new UpdateError('not-found', `${exe} was not found`, { hint: 'Install the OpenSSH client (on Windows: the "OpenSSH Client" optional feature), or sign elsewhere with ssh-keygen -Y sign -n wso2update-plan PLAN and copy the .sig beside the plan.' })
        : e));
      child.on('close', (code, signal) => (code === 0 ? resolve(err) : reject(new UpdateError('usage', `ssh-keygen could not sign with ${keyFile} (${signal ?? `exit ${code}`}): ${err.trim().split('\n').pop() ?? ''}`, {
        hint: 'Check the key file and its passphrase; with an ssh-agent, name the public key (KEY.pub) and check SSH_AUTH_SOCK.',
      }))));
    });
    const text = await readFile(`${file}.sig`, 'utf8').catch(() => {
      throw new UpdateError('io', `ssh-keygen reported success but wrote no signature${stderr.trim() ? ` (${stderr.trim()})` : ''}`);
    });
    if (text.length > MAX_ARMORED) throw new UpdateError('verification', 'ssh-keygen wrote an oversized signature');
    const sig = readSignature(text, 'the new signature');
    if (sig.namespace !== namespace || !verifySignature(sig, message)) throw new UpdateError('verification', 'the signature ssh-keygen wrote does not verify over the plan');
    return { text, sig };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
