// Signed approvals enforced by apply, end to end through the CLI (issue 23): every refusal exits 7 naming who
// approved and what is missing, with the pack byte-identical (the audit folder aside, which records the refusal);
// enough distinct approvers apply; the pack's recorded policy needs no flags; lowering it needs its approvers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPROVAL_NAMESPACE } from '../../../src/core/approval/decide.js';
import { signMessage } from '../../../src/core/approval/sshsig.js';
import { writePlan } from '../../../src/io/planfile.js';
import { fixtureWithPlan, makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { nodeKey, sshKeygenKey, sshKeygenSign } from '../../helpers/ssh.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const keys = tmpDir('approval-keys-');
const alice = sshKeygenKey(keys, 'ed25519', 'alice');
const alice2 = sshKeygenKey(keys, 'ecdsa-256', 'alice-laptop');
const bob = sshKeygenKey(keys, 'ecdsa-384', 'bob');
const carol = nodeKey('ed25519');
const mallory = sshKeygenKey(keys, 'ed25519', 'mallory');
const signers = join(keys, 'allowed_signers');
writeFileSync(signers, [
  `alice@example.com ${alice.pub}`, `alice@example.com ${alice2.pub}`, `bob@example.com namespaces="wso2update-plan" ${bob.pub}`,
  `carol@example.com valid-before="20200101Z" ${carol.pub}`, '',
].join('\n'));

// The audit trail is outside the byte-identical promise (like updates/logs): it records the refusal.
const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r.startsWith('updates/logs') || r.startsWith('updates/wso2update/audit'));
const gate = ['--require-approvals', '2', '--allowed-signers', signers];

async function setup() {
  const f = await fixtureWithPlan(1);
  return { ...f, before: full(f.home), approvals: `${f.plan}.approvals` };
}
const sign = (key: string, file: string, dest: string, ns = APPROVAL_NAMESPACE) => {
  mkdirSync(join(dest, '..'), { recursive: true });
  writeFileSync(dest, sshKeygenSign(key, file, ns));
};

const refusals: [string, (s: Awaited<ReturnType<typeof setup>>) => Promise<void> | void, RegExp[]][] = [
  ['no approval at all', () => undefined, [/0 of 2 required approvals: nobody; 2 more needed/]],
  ['one approver of two', (s) => sign(alice.path, s.plan, join(s.approvals, 'alice.sig')), [/1 of 2 required approvals: alice@example.com; 1 more needed/]],
  ['the same principal twice (two keys of alice)', (s) => {
    sign(alice.path, s.plan, join(s.approvals, 'alice.sig'));
    sign(alice2.path, s.plan, join(s.approvals, 'alice-laptop.sig'));
  }, [/1 of 2/, /counts once: alice@example.com already approved/]],
  ['a signature over another plan', async (s) => {
    sign(alice.path, s.plan, join(s.approvals, 'alice.sig'));
    const other = join(tmpDir(), 'other.json');
    await writePlan(other, await makeTestPlan(s, 2));
    sign(bob.path, other, join(s.approvals, 'bob.sig'));
  }, [/bob.sig: signs another plan/]],
  ['a key outside the allowed signers', (s) => {
    sign(alice.path, s.plan, join(s.approvals, 'alice.sig'));
    sign(mallory.path, s.plan, join(s.approvals, 'mallory.sig'));
  }, [/mallory.sig: key not in the allowed signers file/]],
  ['an expired key', (s) => {
    sign(alice.path, s.plan, join(s.approvals, 'alice.sig'));
    writeFileSync(join(s.approvals, 'carol.sig'), signMessage(readFileSync(s.plan), carol.privateKey, APPROVAL_NAMESPACE));
  }, [/carol.sig: key expired: .*valid until 2020-01-01 00:00:00 UTC/]],
  ['a wrong namespace', (s) => {
    sign(alice.path, s.plan, join(s.approvals, 'alice.sig'));
    sign(bob.path, s.plan, join(s.approvals, 'bob.sig'), 'file');
  }, [/bob.sig: wrong namespace: signed for namespace "file"/]],
  ['approvals of the same plan reformatted (the bytes are approved, not the digest)', (s) => {
    sign(alice.path, s.plan, join(s.approvals, 'alice.sig'));
    sign(bob.path, s.plan, join(s.approvals, 'bob.sig'));
    writeFileSync(s.plan, `${JSON.stringify(JSON.parse(readFileSync(s.plan, 'utf8')))}\n`);
  }, [/signs another plan/]],
];

for (const [name, arrange, want] of refusals) {
  test(`refused (exit 7), pack byte-identical: ${name}`, async () => {
    const s = await setup();
    await arrange(s);
    const before = full(s.home); // (making the other plan fills the pack's blob cache, as any plan does)
    const r = await runCli(['apply', s.plan, '--home', s.home, ...gate]);
    assert.is(r.code, 7, r.stderr);
    for (const w of want) assert.match(r.stderr, w);
    assert.equal(snapshotDiff(before, full(s.home)), []);
    const audit = await runCli(['audit', '--home', s.home, '--json']);
    assert.is(audit.code, 0, audit.stderr);
    const last = JSON.parse(audit.stdout.trim().split('\n').pop() ?? '{}');
    assert.equal([last.command, last.result, last.exitCode], ['apply', 'refused', 7]);
  });
}

test('two distinct approvers (one with ssh-keygen, one with `wso2update approve`): applied, and the audit names them', async () => {
  const s = await setup();
  sign(alice.path, s.plan, `${s.plan}.sig`);
  const approve = await runCli(['approve', s.plan, '--key', bob.path, '--allowed-signers', signers, '--require-approvals', '2'], { env: { SSH_AUTH_SOCK: '' } });
  assert.is(approve.code, 0, approve.stderr);
  assert.match(approve.stderr, /2 of 2 required approvals: alice@example.com, bob@example.com/);
  const written = readdirSync(s.approvals);
  assert.is(written.length, 1);
  // The file approve wrote verifies with ssh-keygen -Y verify, as any approval must.
  const v = execFileSync('ssh-keygen', ['-Y', 'verify', '-f', signers, '-I', 'bob@example.com', '-n', APPROVAL_NAMESPACE, '-s', join(s.approvals, written[0])], { input: readFileSync(s.plan), encoding: 'utf8' });
  assert.match(v, /Good "wso2update-plan" signature for bob@example.com/);
  const r = await runCli(['apply', s.plan, '--home', s.home, ...gate, '--json']);
  assert.is(r.code, 0, r.stderr);
  const audit = JSON.parse((await runCli(['audit', '--home', s.home, '--json'])).stdout.trim().split('\n').pop() ?? '{}');
  assert.equal([audit.result, audit.approvers, audit.fromLevel, audit.toLevel], ['applied', ['alice@example.com', 'bob@example.com'], 0, 1]);
  assert.is((await runCli(['audit', '--home', s.home, '--verify'])).code, 0);
});

test('the pack\'s recorded policy applies without flags; lowering it needs its approvers over the change request', async () => {
  const s = await setup();
  const set = await runCli(['policy', '--home', s.home, ...gate]);
  assert.is(set.code, 0, set.stderr);
  const before = full(s.home);
  const r = await runCli(['apply', s.plan, '--home', s.home]);
  assert.is(r.code, 7, r.stderr);
  assert.match(r.stderr, /as the pack's policy requires: 0 of 2/);
  assert.equal(snapshotDiff(before, full(s.home)), []);
  // Lower to 1: refused first, with a change request to sign, then recorded once two approvers signed it.
  const cwd = tmpDir('policy-change-');
  const lower = ['policy', '--home', s.home, '--require-approvals', '1', '--allowed-signers', signers];
  const first = await runCli(lower, { cwd });
  assert.is(first.code, 7, first.stderr);
  const request = join(cwd, 'wso2update.policy-change.json');
  sign(alice.path, request, `${request}.sig`);
  sign(bob.path, request, join(`${request}.approvals`, 'bob.sig'));
  const second = await runCli(lower, { cwd });
  assert.is(second.code, 0, second.stderr);
  assert.match(second.stderr, /approved by alice@example.com, bob@example.com/);
  sign(alice.path, s.plan, `${s.plan}.sig`);
  assert.is((await runCli(['apply', s.plan, '--home', s.home])).code, 0);
  const records = (await runCli(['audit', '--home', s.home, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(records.map((x) => `${x.command}:${x.result}`), ['policy:policy', 'apply:refused', 'policy:refused', 'policy:policy', 'apply:applied']);
});

test('init records the policy; one-shot apply and revert are refused; a revert plan is approved like any plan', async () => {
  const f = await makeFixture();
  rmSync(join(f.home, 'updates', 'wso2update'), { recursive: true });
  const init = await runCli(['init', '--home', f.home, '--repo', f.repo, '--allow-unsigned', ...gate]);
  assert.is(init.code, 0, init.stderr);
  assert.match((await runCli(['policy', '--home', f.home])).stderr, /needs 2 distinct approvers among:\n  alice@example.com/);
  const before = full(f.home);
  const oneShot = await runCli(['apply', '--home', f.home, '--yes']);
  assert.is(oneShot.code, 7, oneShot.stderr);
  assert.match(oneShot.stderr, /requires 2 approvals of a plan file, so it cannot plan and apply in one go/);
  assert.equal(snapshotDiff(before, full(f.home)), []);
  const dir = tmpDir('approved-plans-');
  const plan = join(dir, 'update.plan.json');
  assert.is((await runCli(['plan', '--home', f.home, '--level', '1', '--out', plan])).code, 0);
  sign(alice.path, plan, `${plan}.sig`);
  sign(bob.path, plan, join(`${plan}.approvals`, 'bob.sig'));
  assert.is((await runCli(['apply', plan, '--home', f.home])).code, 0);
  const revertNow = await runCli(['revert', '--home', f.home, '--yes']);
  assert.is(revertNow.code, 7, revertNow.stderr);
  const back = join(dir, 'revert.plan.json');
  assert.is((await runCli(['revert', '--home', f.home, '--out', back])).code, 0);
  sign(alice2.path, back, `${back}.sig`);
  sign(bob.path, back, join(`${back}.approvals`, 'bob.sig'));
  const reverted = await runCli(['apply', back, '--home', f.home]);
  assert.is(reverted.code, 4, reverted.stderr);
  const records = (await runCli(['audit', '--home', f.home, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(records.map((x) => `${x.command}:${x.result}:${x.exitCode}`), ['init:policy:0', 'apply:refused:7', 'apply:applied:0', 'revert:refused:7', 'apply (revert plan):reverted:4']);
  assert.equal(records[4].approvers, ['alice@example.com', 'bob@example.com']);
  assert.is((await runCli(['audit', '--home', f.home, '--verify'])).code, 0);
});

test('audit --verify names the first bad record after an edit, exit 7', async () => {
  const s = await setup();
  await runCli(['apply', s.plan, '--home', s.home, ...gate]);
  await runCli(['apply', s.plan, '--home', s.home, ...gate]);
  const log = join(s.home, 'updates/wso2update/audit/audit.log');
  writeFileSync(log, readFileSync(log, 'utf8').replace('"refused"', '"applied"'));
  const r = await runCli(['audit', '--home', s.home, '--verify']);
  assert.is(r.code, 7, r.stderr);
  assert.match(r.stderr, /first bad record is 1 \(audit.log line 1\): record 1 was edited/);
});

test.run();
