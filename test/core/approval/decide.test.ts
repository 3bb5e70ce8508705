// The approval decision: distinct approvers over this exact plan file, and every reason a signature does not
// count (other plan, unknown key, expired or not yet valid by the node's clock, namespace, repeats, malformed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllowedSigners, type WallTime } from '../../../src/core/approval/allowed-signers.js';
import { APPROVAL_NAMESPACE, decideApprovals, type Clock, type SignatureFile } from '../../../src/core/approval/decide.js';
import { signMessage } from '../../../src/core/approval/sshsig.js';
import { nodeKey, sshKeygenKey, sshKeygenSign } from '../../helpers/ssh.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('decide-');
const plan = Buffer.from('{"digest":"1111"}\n');
const otherPlan = Buffer.from('{"digest":"2222"}\n');
const [alice, alice2, bob, carol, mallory] = ['ed25519', 'ecdsa-256', 'ecdsa-384', 'rsa', 'ed25519'].map((k) => nodeKey(k as 'ed25519'));
// 2026-06-01T12:00:00Z; local time is UTC+2 in these tests, to show that times without Z are read as local.
const clock: Clock = { nowMs: Date.UTC(2026, 5, 1, 12), localToEpochMs: (t: WallTime) => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - 2 * 3600_000 };
const signers = parseAllowedSigners([
  `alice@example.com ${alice.pub}`,
  `alice@example.com ${alice2.pub}`,
  `bob@example.com namespaces="wso2update-*" ${bob.pub}`,
  `carol@example.com valid-before="20260601115959Z" ${carol.pub}`,
].join('\n'));
const sig = (k: { privateKey: import('node:crypto').KeyObject }, source: string, over = plan, ns = APPROVAL_NAMESPACE): SignatureFile =>
  ({ source, text: signMessage(over, k.privateKey, ns) });

test('two distinct approvers meet N=2; the verdict names them', () => {
  const v = decideApprovals(plan, [sig(alice, 'a.sig'), sig(bob, 'b.sig')], signers, 2, clock);
  assert.ok(v.ok);
  assert.equal(v.approvers.map((a) => a.principals), [['alice@example.com'], ['bob@example.com']]);
  assert.is(v.missing, 0);
});

test('one approver for N=2: not ok, one missing; N=0 needs nothing', () => {
  const v = decideApprovals(plan, [sig(alice, 'a.sig')], signers, 2, clock);
  assert.not.ok(v.ok);
  assert.is(v.missing, 1);
  assert.ok(decideApprovals(plan, [], signers, 0, clock).ok);
});

test('the same principal twice (two keys of alice) and the same key twice count once', () => {
  const v = decideApprovals(plan, [sig(alice, 'a.sig'), sig(alice2, 'a2.sig'), sig(alice, 'again.sig')], signers, 2, clock);
  assert.not.ok(v.ok);
  assert.is(v.approvers.length, 1);
  assert.equal(v.repeated.map((r) => [r.source, r.sameAs]), [['a2.sig', 'a.sig'], ['again.sig', 'a.sig']]);
  assert.is(v.rejected.length, 0);
});

const rejections: [string, () => SignatureFile, string, RegExp][] = [
  ['a signature over another plan', () => sig(bob, 'x.sig', otherPlan), 'other-plan', /not over this plan file/],
  ['a key outside the file', () => sig(mallory, 'x.sig'), 'key-not-allowed', /not in the allowed signers file/],
  ['a wrong namespace', () => sig(alice, 'x.sig', plan, 'file'), 'wrong-namespace', /namespace "file", not "wso2update-plan"/],
  ['an expired key (valid-before passed a second ago)', () => sig(carol, 'x.sig'), 'expired', /valid until 2026-06-01 11:59:59 UTC \(line 4\)/],
  ['a malformed file', () => ({ source: 'x.sig', text: 'not a signature' }), 'malformed', /not an SSH signature/],
];
for (const [name, make, reason, detail] of rejections) {
  test(`refused: ${name}, even beside enough valid approvals`, () => {
    const v = decideApprovals(plan, [sig(alice, 'a.sig'), sig(bob, 'b.sig'), make()], signers, 2, clock);
    assert.not.ok(v.ok);
    assert.is(v.approvers.length, 2);
    assert.is(v.rejected.length, 1);
    assert.is(v.rejected[0].reason, reason);
    assert.is(v.rejected[0].source, 'x.sig');
    assert.match(v.rejected[0].detail, detail);
  });
}

test('valid-after without Z is the node\'s local time; namespaces= limits the key', () => {
  const k = nodeKey('ed25519');
  // 13:30 local is 11:30Z, before now (12:00Z): valid. 14:30 local is 12:30Z: not yet.
  const early = parseAllowedSigners(`dan@example.com valid-after="202606011330" ${k.pub}`);
  assert.ok(decideApprovals(plan, [sig(k, 'd.sig')], early, 1, clock).ok);
  const late = parseAllowedSigners(`dan@example.com valid-after="202606011430" ${k.pub}`);
  const v = decideApprovals(plan, [sig(k, 'd.sig')], late, 1, clock);
  assert.is(v.rejected[0].reason, 'not-yet-valid');
  assert.match(v.rejected[0].detail, /valid only from 2026-06-01 14:30:00 local time/);
  const fileOnly = parseAllowedSigners(`dan@example.com namespaces="file,git" ${k.pub}`);
  assert.is(decideApprovals(plan, [sig(k, 'd.sig')], fileOnly, 1, clock).rejected[0].reason, 'namespace-not-allowed');
  const negated = parseAllowedSigners(`dan@example.com namespaces="!wso2update-plan,*" ${k.pub}`);
  assert.is(decideApprovals(plan, [sig(k, 'd.sig')], negated, 1, clock).rejected[0].reason, 'namespace-not-allowed');
});

test('a key on two lines: one expired line and one valid line still counts (as ssh-keygen reads it)', () => {
  const k = nodeKey('ed25519');
  const two = parseAllowedSigners(`old@example.com valid-before="20200101Z" ${k.pub}\nnew@example.com ${k.pub}`);
  const v = decideApprovals(plan, [sig(k, 'k.sig')], two, 1, clock);
  assert.ok(v.ok);
  assert.equal(v.approvers[0].principals, ['new@example.com']);
});

test('approvals made by ssh-keygen itself count, as the issue says: no tool needed to approve', () => {
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, plan);
  const k1 = sshKeygenKey(dir, 'ed25519', 'eve');
  const k2 = sshKeygenKey(dir, 'ecdsa-521', 'frank');
  const list = parseAllowedSigners(`eve@example.com ${k1.pub}\nfrank@example.com ${k2.pub}\n`);
  const files = [k1, k2].map((k, i) => ({ source: `s${i}.sig`, text: sshKeygenSign(k.path, planFile, APPROVAL_NAMESPACE) }));
  const v = decideApprovals(plan, files, list, 2, clock);
  assert.ok(v.ok, JSON.stringify(v.rejected));
  assert.equal(v.approvers.flatMap((a) => a.principals), ['eve@example.com', 'frank@example.com']);
});

test.run();
