// approve's signer: ssh-keygen -Y sign from a key file and from an ssh-agent holding the key (KEY.pub named),
// checked in-process; a missing ssh-keygen, a wrong key and a passphrase-protected key without a terminal fail clearly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { APPROVAL_NAMESPACE } from '../../src/core/approval/decide.js';
import { verifySignature } from '../../src/core/approval/sshsig.js';
import { sshKeygenSign } from '../../src/io/ssh-sign.js';
import { sshKeygenKey } from '../helpers/ssh.js';
import { tmpDir } from '../helpers/tmp.js';

const dir = tmpDir('ssh-sign-');
const plan = Buffer.from('{"plan":1}\n');

test('signs with a key file; the signature verifies over the plan in our namespace', async () => {
  const key = sshKeygenKey(dir, 'ed25519', 'approver');
  const { text, sig } = await sshKeygenSign(plan, key.path, APPROVAL_NAMESPACE, { env: { ...process.env, SSH_AUTH_SOCK: '' } });
  assert.match(text, /^-----BEGIN SSH SIGNATURE-----\n/);
  assert.is(sig.namespace, APPROVAL_NAMESPACE);
  assert.ok(verifySignature(sig, plan));
});

test('signs through an ssh-agent when the public key is named', async () => {
  const key = sshKeygenKey(dir, 'ecdsa-256', 'agent-key');
  const sock = join(dir, 'agent.sock');
  const agent = spawnSync('ssh-agent', ['-a', sock, '-s'], { encoding: 'utf8' });
  const pid = /SSH_AGENT_PID=(\d+)/.exec(agent.stdout)?.[1];
  try {
    execFileSync('ssh-add', [key.path], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'pipe' });
    const { sig } = await sshKeygenSign(plan, `${key.path}.pub`, APPROVAL_NAMESPACE, { env: { ...process.env, SSH_AUTH_SOCK: sock } });
    assert.ok(verifySignature(sig, plan));
  } finally {
    if (pid) process.kill(Number(pid));
  }
});

test('a protected key with no terminal, a missing key and a missing ssh-keygen fail with what to do', async () => {
  const key = join(dir, 'locked');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret-pass', '-f', key]);
  const env = { ...process.env, SSH_AUTH_SOCK: '', SSH_ASKPASS: '/bin/false', SSH_ASKPASS_REQUIRE: 'force', DISPLAY: '' };
  await sshKeygenSign(plan, key, APPROVAL_NAMESPACE, { env }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /ssh-keygen could not sign with .*locked/));
  await sshKeygenSign(plan, join(dir, 'nope'), APPROVAL_NAMESPACE, { env }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /could not sign/));
  await sshKeygenSign(plan, key, APPROVAL_NAMESPACE, { sshKeygen: join(dir, 'no-such-ssh-keygen') }).then(() => assert.unreachable(), (e: Error & { hint?: string }) => {
    assert.match(e.message, /was not found/);
    assert.match(e.hint ?? '', /OpenSSH Client/);
  });
});

test.run();
