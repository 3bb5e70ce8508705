// Reading approvals and policies from disk: which signature files count and in what order, caps on huge files
// and on their number, and a pack policy whose signers copy was edited behind its back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyChange, changeRequest, changeRequestText, checkRequired, policyDigest } from '../../src/core/approval/policy.js';
import { decideApprovals } from '../../src/core/approval/decide.js';
import { readAllowedSigners, readApprovalFiles, readPackPolicy, writePackPolicy } from '../../src/io/approvals.js';
import { tmpDir } from '../helpers/tmp.js';
import { nodeKey } from '../helpers/ssh.js';

const dir = tmpDir('approvals-io-');
const plan = join(dir, 'plan.json');
writeFileSync(plan, '{}\n');

test('PLAN.sig, then PLAN.approvals/*.sig sorted, then --approval files; a file named twice is read once', async () => {
  writeFileSync(`${plan}.sig`, 'S');
  mkdirSync(`${plan}.approvals`, { recursive: true });
  writeFileSync(join(`${plan}.approvals`, 'b.sig'), 'B');
  writeFileSync(join(`${plan}.approvals`, 'a.sig'), 'A');
  writeFileSync(join(`${plan}.approvals`, 'README'), 'not a signature');
  symlinkSync(`${plan}.sig`, join(`${plan}.approvals`, 'c.sig'));
  const extra = join(dir, 'x.sig');
  writeFileSync(extra, 'X');
  const files = await readApprovalFiles(plan, [extra, `${plan}.sig`]);
  assert.equal(files.map((f) => Buffer.from(f.text).toString()), ['S', 'A', 'B', 'X']);
});

test('a named --approval that does not exist is an error; a missing PLAN.sig is not', async () => {
  const p = join(dir, 'lonely.json');
  writeFileSync(p, '{}');
  assert.equal(await readApprovalFiles(p), []);
  await readApprovalFiles(p, [join(dir, 'nope.sig')]).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /approval .*nope.sig does not exist/));
});

test('a huge signature file is read only to its cap and refused as too large; too many files are refused', async () => {
  const p = join(dir, 'big.json');
  writeFileSync(p, '{}');
  writeFileSync(`${p}.sig`, Buffer.alloc(10 * 1024 * 1024, 65));
  const files = await readApprovalFiles(p);
  assert.is(files[0].text.length, 64 * 1024 + 1);
  const v = decideApprovals(Buffer.from('{}'), files, [], 1, { nowMs: 0, localToEpochMs: () => 0 });
  assert.match(v.rejected[0].detail, /too large/);
  const q = join(dir, 'many.json');
  mkdirSync(`${q}.approvals`);
  for (let i = 0; i < 70; i++) writeFileSync(join(`${q}.approvals`, `${i}.sig`), 'x');
  await readApprovalFiles(q).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /signature files for one plan \(at most 64\)/));
});

test('pack policy: recorded, read back, and refused when its signers copy is edited or policy.json is damaged', async () => {
  const own = tmpDir('policy-own-');
  assert.is(await readPackPolicy(own), null);
  const signersFile = join(dir, 'allowed_signers');
  writeFileSync(signersFile, `alice@example.com ${nodeKey('ed25519').pub}\n`);
  const s = await readAllowedSigners(signersFile);
  await writePackPolicy(own, { required: 2, allowedSigners: s.sha256 }, s.text);
  const back = await readPackPolicy(own);
  assert.equal(back?.policy, { required: 2, allowedSigners: s.sha256 });
  assert.is(back?.signers.length, 1);
  writeFileSync(join(own, 'allowed_signers'), `${s.text}mallory@example.com ${nodeKey('ed25519').pub}\n`);
  await readPackPolicy(own).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /changed outside `wso2update policy`/));
  writeFileSync(join(own, 'policy.json'), '{"formatVersion":1,"required":-1}');
  await readPackPolicy(own).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /policy.json is damaged/));
});

test('policy changes: more approvers tighten; fewer, another list, or none loosen', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);
  assert.is(classifyChange(null, { required: 2, allowedSigners: a }), 'tighten');
  assert.is(classifyChange({ required: 2, allowedSigners: a }, { required: 3, allowedSigners: a }), 'tighten');
  assert.is(classifyChange({ required: 2, allowedSigners: a }, { required: 2, allowedSigners: a }), 'same');
  assert.is(classifyChange({ required: 2, allowedSigners: a }, { required: 1, allowedSigners: a }), 'loosen');
  assert.is(classifyChange({ required: 2, allowedSigners: a }, { required: 3, allowedSigners: b }), 'loosen');
  assert.is(classifyChange({ required: 2, allowedSigners: a }, null), 'loosen');
  const r = changeRequest('lin-1', { required: 2, allowedSigners: a }, { required: 1, allowedSigners: a });
  assert.is(r.from, policyDigest({ required: 2, allowedSigners: a }));
  assert.match(changeRequestText(r), /^\{"formatVersion":1,"from":"[0-9a-f]{64}","kind":"wso2update-policy-change","lineage":"lin-1","to":\{"allowedSigners":"a+","required":1\}\}\n$/);
  assert.throws(() => checkRequired(33), /0 to 32/);
  assert.throws(() => checkRequired(1.5), /whole number/);
});

test.run();
