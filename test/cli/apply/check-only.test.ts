// `apply PLAN --check-only`: every check apply makes before writing, and nothing written, so that a fleet checks a
// node before stopping it (issue 17: the role stopped a drifted node, then apply refused it and it stayed down).
// A running product is not its concern (the node is still up when it runs); a drifted path, another digest, a
// journal, a replayed plan each exit as apply would, naming the reason.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWithPlan, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { runCli } from '../../helpers/tmp.js';

const all = (home: string) => snapshot(home, (r) => r.startsWith('updates/wso2update/cache'));

test('a plan that applies: exit 0, said and in --json, with the product running; nothing written; then apply works', async () => {
  const s = await fixtureWithPlan(1);
  writeFileSync(join(s.home, 'wso2carbon.pid'), `${process.pid}\n`);
  const before = all(s.home);
  const digest = JSON.parse(readFileSync(s.plan, 'utf8')).digest;
  const r = await runCli(['apply', s.plan, '--home', s.home, '--check-only', '--expect-digest', digest, '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, 'can be applied to it as it is now');
  assert.is(JSON.parse(r.stdout).status, 'applicable');
  assert.equal(snapshotDiff(before, all(s.home)), []);
  assert.not.ok(existsSync(join(s.home, 'updates/wso2update/lock')));
  const running = await runCli(['apply', s.plan, '--home', s.home, '--yes']);
  assert.is(running.code, 6, 'apply itself still refuses a running product');
});

test('refusals exit as apply would and write nothing: drifted (5), another digest (7), a replayed plan (5), no plan (1)', async () => {
  const s = await fixtureWithPlan(1);
  writeFileSync(join(s.home, 'lib/a.jar'), 'patched by hand');
  const before = all(s.home);
  const drift = await runCli(['apply', s.plan, '--home', s.home, '--check-only', '--json']);
  assert.is(drift.code, 5, drift.stderr);
  assert.equal(JSON.parse(drift.stdout).error.paths, ['lib/a.jar']);
  const other = await runCli(['apply', s.plan, '--home', s.home, '--check-only', '--expect-digest', 'a'.repeat(64)]);
  assert.is(other.code, 7, other.stderr);
  const none = await runCli(['apply', '--home', s.home, '--check-only']);
  assert.is(none.code, 1, none.stderr);
  assert.match(none.stderr, 'give it');
  assert.equal(snapshotDiff(before, all(s.home)), []);
  const t = await fixtureWithPlan(1);
  assert.is((await runCli(['apply', t.plan, '--home', t.home, '--yes'])).code, 0);
  const replay = await runCli(['apply', t.plan, '--home', t.home, '--check-only']);
  assert.is(replay.code, 5, replay.stderr);
});

test.run();
