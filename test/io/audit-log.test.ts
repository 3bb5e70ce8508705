// The audit trail on disk: appends chain and verify; a run's record is written once (recover may try again);
// a crash between the log and head.json, or mid-line, is repaired on the next append; rotation keeps the chain
// verifiable with or without its archives; a truncated log shows against head.json; a symlinked folder is refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChain, type AuditEntry } from '../../src/core/audit/chain.js';
import { AUDIT_DIR, appendAudit, readAudit } from '../../src/io/audit-log.js';
import { tmpDir } from '../helpers/tmp.js';

const entry = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  time: `2026-06-01T12:00:${String(i % 60).padStart(2, '0')}.000Z`, user: 'ops', host: 'node1', command: 'apply', planDigest: 'a'.repeat(64),
  approvers: [], fromLevel: 1, toLevel: 2, result: 'applied', exitCode: 0, filesChanged: 3, ...over,
});

function pack(): string {
  const home = tmpDir('audit-pack-');
  mkdirSync(join(home, 'updates', 'wso2update'), { recursive: true });
  return home;
}
const verify = async (home: string, drop: (names: string[]) => string[] = (n) => n) => {
  const { segments, head } = await readAudit(home);
  const kept = drop(segments.map((s) => s.name));
  return verifyChain(segments.filter((s) => kept.includes(s.name)), head);
};

test('appends chain, and the trail verifies', async () => {
  const home = pack();
  for (let i = 0; i < 5; i++) await appendAudit(home, entry(i));
  const rep = await verify(home);
  assert.is(rep.bad, null);
  assert.equal(rep.records.map((r) => r.seq), [1, 2, 3, 4, 5]);
});

test('a run is recorded once: recover appending the record of a committed apply again writes nothing', async () => {
  const home = pack();
  const a = await appendAudit(home, entry(1, { run: 'gen-1' }));
  const b = await appendAudit(home, entry(2, { run: 'gen-1' }));
  assert.is(b.hash, a.hash);
  assert.is((await verify(home)).records.length, 1);
});

test('a crash after the log line but before head.json: the next append continues from the log', async () => {
  const home = pack();
  await appendAudit(home, entry(1));
  const headFile = join(home, AUDIT_DIR, 'head.json');
  const oldHead = readFileSync(headFile);
  await appendAudit(home, entry(2));
  writeFileSync(headFile, oldHead); // as if the crash came before head.json was replaced
  await appendAudit(home, entry(3));
  const rep = await verify(home);
  assert.is(rep.bad, null);
  assert.equal(rep.records.map((r) => r.seq), [1, 2, 3]);
});

test('a crash mid-line: the torn line is cut before the next record', async () => {
  const home = pack();
  await appendAudit(home, entry(1));
  appendFileSync(join(home, AUDIT_DIR, 'audit.log'), '{"formatVersion":1,"seq":2,"ti');
  await appendAudit(home, entry(2));
  const rep = await verify(home);
  assert.is(rep.bad, null);
  assert.is(rep.records.length, 2);
});

test('truncation shows against head.json; removing a middle record shows without it', async () => {
  const home = pack();
  for (let i = 0; i < 4; i++) await appendAudit(home, entry(i));
  const log = join(home, AUDIT_DIR, 'audit.log');
  const lines = readFileSync(log, 'utf8').split('\n');
  writeFileSync(log, `${lines.slice(0, 2).join('\n')}\n`);
  assert.match((await verify(home)).bad?.why ?? '', /ends at record 2 but record 4 was written/);
  writeFileSync(log, `${[lines[0], lines[2], lines[3]].join('\n')}\n`);
  assert.match((await verify(home)).bad?.why ?? '', /record 2 was removed/);
});

test('rotation: archives are named by range; the chain verifies with them and from the rotation record alone', async () => {
  const home = pack();
  for (let i = 0; i < 12; i++) await appendAudit(home, entry(i), { rotateAt: 1500 });
  const names = readdirSync(join(home, AUDIT_DIR)).filter((n) => n.endsWith('.log')).sort();
  assert.ok(names.length >= 3, names.join(' '));
  assert.ok(names.every((n) => /^audit(-\d+-\d+)?\.log$/.test(n)));
  const all = await verify(home);
  assert.is(all.bad, null, all.bad?.why);
  assert.is(all.records.filter((r) => r.command !== 'rotate').length, 12);
  const alone = await verify(home, (n) => n.filter((x) => x === 'audit.log'));
  assert.is(alone.bad, null);
  assert.match(alone.notes[0], /rotation record/);
  // The second archive missing while the first is there: the chain breaks where the third segment begins.
  const order = (await readAudit(home)).segments.map((x) => x.name);
  assert.ok(order.length >= 3);
  const gap = await verify(home, (n) => n.filter((x) => x !== order[1]));
  assert.match(gap.bad?.why ?? '', /removed/);
  assert.is(gap.bad?.segment, order[2]);
});

test('a crash right after rotation renamed the log: the next append starts the new log with the rotation record', async () => {
  const home = pack();
  for (let i = 0; i < 3; i++) await appendAudit(home, entry(i));
  const dir = join(home, AUDIT_DIR);
  const { renameSync } = await import('node:fs');
  renameSync(join(dir, 'audit.log'), join(dir, 'audit-1-3.log'));
  await appendAudit(home, entry(4));
  const rep = await verify(home);
  assert.is(rep.bad, null, rep.bad?.why);
  assert.equal(rep.records.map((r) => r.command), ['apply', 'apply', 'apply', 'rotate', 'apply']);
});

test('a symlinked audit folder is refused; the link target is not written', async () => {
  const home = pack();
  const elsewhere = tmpDir('audit-elsewhere-');
  symlinkSync(elsewhere, join(home, AUDIT_DIR));
  await appendAudit(home, entry(1)).then(() => assert.unreachable('wrote through a symlink'), (err: Error) => assert.match(err.message, /symlink/));
  assert.equal(readdirSync(elsewhere), []);
  rmSync(join(home, AUDIT_DIR));
});

test('a damaged head.json is a verification error, not a crash', async () => {
  const home = pack();
  await appendAudit(home, entry(1));
  writeFileSync(join(home, AUDIT_DIR, 'head.json'), '{"seq":"x"}');
  await readAudit(home).then(() => assert.unreachable(), (err: Error) => assert.match(err.message, /head.json is damaged/));
});

test.run();
