// ui/approvals.ts: the words of an approval verdict (who approved, what is missing, why a signature does not count),
// the `approvals` command's JSON, and the `policy` lines.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApprovalVerdict } from '../../src/core/approval/verdict.js';
import { approvalLines, approvalSummary, rejectionText, renderPolicy, renderPolicySet, renderVerdict } from '../../src/ui/approvals.js';

const alice = { source: 'plan.json.sig', fingerprint: 'SHA256:aaa', principals: ['alice@example.com'] };
const one: ApprovalVerdict = { required: 2, approvers: [alice], rejected: [], repeated: [], missing: 1, ok: false };
const two: ApprovalVerdict = { ...one, approvers: [alice, { source: 'plan.json.approvals/bob.sig', fingerprint: 'SHA256:bbb', principals: ['bob@example.com'] }], missing: 0, ok: true };

test('the summary names who approved and how many more are needed', () => {
  assert.is(approvalSummary(one), '1 of 2 required approvals: alice@example.com; 1 more needed');
  assert.is(approvalSummary(two), '2 of 2 required approvals: alice@example.com, bob@example.com');
  assert.is(approvalSummary({ ...one, approvers: [], missing: 2 }), '0 of 2 required approvals: nobody; 2 more needed');
});

test('each refused and repeated signature gets a line with its reason, and the way out is said', () => {
  const v: ApprovalVerdict = {
    ...one,
    rejected: [{ source: 'old.sig', reason: 'other-plan', detail: 'it signs sha256 1234' }],
    repeated: [{ source: 'again.sig', fingerprint: 'SHA256:aaa', principals: ['alice@example.com'], sameAs: 'plan.json.sig' }],
  };
  const lines = approvalLines(v);
  assert.is(lines[0], approvalSummary(v));
  assert.ok(lines.includes('  old.sig: signs another plan: it signs sha256 1234'));
  assert.ok(lines.includes('  again.sig: counts once: alice@example.com already approved in plan.json.sig'));
  assert.match(lines.join('\n'), /Ask another approver .*ssh-keygen -Y sign -f KEY -n wso2update-plan PLAN/);
  assert.match(lines.join('\n'), /Remove or replace the refused signature files/);
  assert.is(rejectionText('expired'), 'key expired');
  assert.is(approvalLines(two).length, 1);
});

test('approvals --json: one object on stdout for a pipeline; the verdict for people on stderr', () => {
  const out = renderVerdict('ab'.repeat(32), two, true);
  assert.match(out.stderr, /^Approved: plan abab/);
  const j = JSON.parse(out.stdout);
  assert.equal([j.approved, j.required, j.missing, j.approvers.map((a: { principals: string[] }) => a.principals[0])], [true, 2, 0, ['alice@example.com', 'bob@example.com']]);
  assert.is(renderVerdict('ab'.repeat(32), one, false).stdout, '');
  assert.match(renderVerdict('ab'.repeat(32), one, false).stderr, /^NOT approved: plan /);
});

test('policy: none required, the approvers listed, and a change recorded or not', () => {
  assert.is(renderPolicy(null, [], false).stderr, 'No approvals are required to apply plans to this pack.\n');
  assert.equal(JSON.parse(renderPolicy(null, [], true).stdout), { required: 0, allowedSigners: null, signers: [] });
  assert.is(renderPolicySet('/opt/am', '2 approvers', [], false).stderr, 'The policy is already: 2 approvers. Nothing was changed.\n');
  assert.is(renderPolicySet('/opt/am', '1 approver', ['alice', 'bob'], true).stderr, 'Recorded the policy of /opt/am: 1 approver, approved by alice, bob.\n');
});

test.run();
