// `plan` and `show` through the real CLI (child processes running dist/): exit codes 0, 3 and 10, option checks,
// the plan file (0600, valid), JSON on stdout, and show's three views with secrets masked unless revealed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../../src/core/model.js';
import { makePlanPack, type PlanPack } from '../../helpers/plan-pack.js';
import { runCli } from '../../helpers/tmp.js';

let custom: PlanPack;
let plain: PlanPack;

test.before(async () => {
  custom = await makePlanPack();
  plain = await makePlanPack({ customized: false });
});

const planArgs = (p: PlanPack, ...extra: string[]) => ['plan', '--home', p.home, '--out', join(p.home, '..', 'out.plan.json'), ...extra];

const exitCases: [string, () => PlanPack, string[], number][] = [
  ['conflicts under stop: 3', () => custom, ['--level', '1'], 3],
  ['conflicts under stop win over --detailed-exitcode: 3', () => custom, ['--level', '1', '--detailed-exitcode'], 3],
  ['conflicts resolved by take-theirs: 0', () => custom, ['--level', '1', '--on-conflict', 'take-theirs'], 0],
  ['changes with --detailed-exitcode: 10', () => custom, ['--level', '1', '--on-conflict', 'keep-mine', '--detailed-exitcode'], 10],
  ['no conflicts, changes, no flag: 0', () => plain, [], 0],
  ['no conflicts, changes, --detailed-exitcode: 10', () => plain, ['--detailed-exitcode'], 10],
  ['already at the level, --detailed-exitcode: 0', () => plain, ['--level', '0', '--detailed-exitcode'], 0],
  ['a fractional level is a usage error: 1', () => plain, ['--level', '1.5'], 1],
  ['an unknown policy is a usage error: 1', () => plain, ['--on-conflict', 'merge-all'], 1],
  ['a repository that does not exist: 1', () => plain, ['--repo', '/nonexistent-repo'], 1],
  ['a level the repository does not have: 1', () => plain, ['--level', '9'], 1],
];

for (const [name, pack, extra, code] of exitCases) {
  test(`plan exit code: ${name}`, async () => {
    const r = await runCli(planArgs(pack(), ...extra));
    assert.is(r.code, code, r.stderr);
    if (code === 1) assert.match(r.stderr, /^Error: /);
  });
}

test('plan writes a 0600 plan file, the summary on stderr, JSON on stdout with --json', async () => {
  const out = join(custom.home, '..', 'json.plan.json');
  const r = await runCli(['plan', '--home', custom.home, '--level', '1', '--out', out, '--json', '--on-conflict', 'take-theirs']);
  assert.is(r.code, 0, r.stderr);
  assert.is(statSync(out).mode & 0o777, 0o600);
  assert.match(r.stderr, /^Plan: 1 to add, 1 to replace, 1 to remove, 1 to merge, 9 conflicts, 1 to chmod\n/);
  assert.ok(r.stderr.includes(`Plan written to ${out}`));
  const printed = JSON.parse(r.stdout) as Plan & { secretsMasked: boolean };
  const file = JSON.parse(readFileSync(out, 'utf8')) as Plan;
  assert.is(printed.digest, file.digest);
  assert.equal(printed.actions.map((a) => a.path), file.actions.map((a) => a.path));
  assert.is(file.onConflict, 'take-theirs');
});

test('plan run from <home>/bin without --home finds the pack, and writes under updates/wso2update/ by default', async () => {
  const r = await runCli(['plan', '--level', '1', '--on-conflict', 'keep-mine'], { cwd: join(custom.home, 'bin') });
  assert.is(r.code, 0, r.stderr);
  assert.ok(statSync(join(custom.home, 'updates', 'wso2update', 'wso2update.plan.json')).isFile());
  assert.not.ok(existsSync(join(custom.home, 'bin', 'wso2update.plan.json')));
  const outside = await runCli(['plan', '--home', custom.home, '--level', '1', '--on-conflict', 'keep-mine'], { cwd: join(custom.home, '..') });
  assert.is(outside.code, 0, outside.stderr);
  assert.ok(statSync(join(custom.home, '..', 'wso2update.plan.json')).isFile());
});

test('show: text, markdown and json views of the plan; secrets masked unless revealed', async () => {
  const out = join(custom.home, '..', 'show.plan.json');
  assert.is((await runCli(['plan', '--home', custom.home, '--level', '1', '--out', out])).code, 3);
  const text = await runCli(['show', out]);
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /^Plan: 1 to add, 1 to replace, 1 to remove, 1 to merge, 9 conflicts, 1 to chmod\n/);
  assert.ok(text.stdout.includes('M merge    conf/clean.toml'));
  assert.ok(text.stdout.includes('[CRITICAL] WSO2-2025-1'));
  assert.not.ok(text.stdout.includes('s3cret'));
  const md = await runCli(['show', out, '--markdown']);
  assert.is(md.code, 0);
  assert.ok(md.stdout.startsWith('# Update wso2am-4.2.0 from level 0 to level 1\n'));
  assert.ok(md.stdout.includes('```diff\n--- conf/clean.toml (installed)'));
  assert.not.ok(md.stdout.includes('s3cret'));
  const json = JSON.parse((await runCli(['show', out, '--json'])).stdout) as Plan;
  assert.is(json.digest, (JSON.parse(readFileSync(out, 'utf8')) as Plan).digest);
  assert.ok(json.actions.every((a) => typeof a.path === 'string' && 'before' in a && 'after' in a));
  const merged = (p: Plan) => p.actions.find((a) => a.action === 'merge' && a.path === 'conf/clean.toml');
  const masked = merged(json);
  assert.ok(masked?.action === 'merge' && masked.merged.startsWith('password = "********"\n'));
  const revealed = merged(JSON.parse((await runCli(['show', out, '--json', '--reveal-secrets'])).stdout) as Plan);
  assert.ok(revealed?.action === 'merge' && revealed.merged.startsWith('password = "s3cret"\n'));
  const both = await runCli(['show', out, '--json', '--markdown']);
  assert.is(both.code, 1);
});

test('show refuses an edited plan, naming the digest mismatch', async () => {
  const out = join(plain.home, '..', 'edited.plan.json');
  assert.is((await runCli(['plan', '--home', plain.home, '--out', out])).code, 0);
  writeFileSync(out, readFileSync(out, 'utf8').replace('"toLevel": 2', '"toLevel": 1'));
  const r = await runCli(['show', out]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /plan digest does not match its content/);
});

test.run();
