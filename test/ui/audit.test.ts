// The audit views: one line per record with who, what, which plan and approvers; JSON lines as stored; verify words.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nextRecord, verifyChain } from '../../src/core/audit/chain.js';
import { auditLine, renderAuditJson, renderAuditText, verifyLines } from '../../src/ui/audit.js';

const r1 = nextRecord(null, { time: '2026-06-01T12:00:00.000Z', user: 'ops', host: 'node1', command: 'apply', planDigest: '9ce68d12de36'.padEnd(64, 'a'),
  approvers: ['alice@example.com', 'bob@example.com'], fromLevel: 1, toLevel: 2, result: 'applied', exitCode: 0, filesChanged: 12 });
const r2 = nextRecord({ seq: 1, hash: r1.hash }, { time: '2026-06-02T12:00:00.000Z', user: 'ops', host: 'node1', command: 'apply', planDigest: null,
  approvers: [], fromLevel: 2, toLevel: 3, result: 'refused', exitCode: 7, filesChanged: 0, detail: '1 of 2 required approvals: alice@example.com; 1 more needed' });

test('one line per record says who did what, to which plan, approved by whom', () => {
  assert.is(auditLine(r1), '#1 2026-06-01T12:00:00.000Z ops@node1 apply: applied (exit 0), level 1 -> 2, 12 files, plan 9ce68d12de36, approved by alice@example.com, bob@example.com');
  assert.match(auditLine(r2), /refused \(exit 7\), level 2 -> 3, 0 files, 1 of 2 required approvals/);
  assert.is(renderAuditText([]), 'The audit trail is empty.\n');
});

test('JSON lines are the stored records, re-verifiable by whoever receives them', () => {
  const json = renderAuditJson([r1, r2]);
  assert.is(json.split('\n').length, 3);
  assert.is(verifyChain([{ name: 'siem', text: json }], null).bad, null);
});

test('verify words: intact with the last hash; broken names the first bad record and where', () => {
  assert.match(verifyLines(verifyChain([{ name: 'audit.log', text: renderAuditJson([r1, r2]) }], null))[0], /^Audit trail intact: 2 records \(1 to 2\), last hash [0-9a-f]{64}\.$/);
  const broken = verifyLines(verifyChain([{ name: 'audit.log', text: renderAuditJson([r2]) }], null));
  assert.match(broken[0], /^Audit trail NOT intact: first bad record is 1 \(audit.log line 1\): record 2 is first/);
});

test.run();
