// init, status and check through the real CLI: adopting a pack, reporting customizations, keeping WSO2's files true.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publish } from '../../../src/publish/level.js';
import { LEVEL0, LEVEL1, LEVEL2, PRODUCT, writeTree } from '../../helpers/pack.js';
import { runCli, tmpDir, PROG } from '../../helpers/tmp.js';

const root = tmpDir('wso2update-init-');
const repo = join(root, 'repo');
for (const [level, spec] of [LEVEL0, LEVEL1, LEVEL2].entries()) {
  const tree = join(root, `tree-${level}`);
  writeTree(tree, spec);
  await publish({ repo, product: PRODUCT, level, tree, date: '2026-01-0' + (level + 1), notes: { title: `Level ${level}`, securityAdvisories: level === 2 ? [{ id: 'WSO2-2026-0001', severity: 'high', title: 'XSS' }] : [] } as never });
}

let n = 0;
/** A fresh level-0 pack with WSO2's updates/ files, a customization, a deleted file and a user file. */
function freshHome(config: object | null = { username: '', 'update-level': '0', channel: 'full', product: { name: 'wso2am' }, hotfixes: null }): string {
  const home = join(root, `home-${n++}`);
  cpSync(join(root, 'tree-0'), home, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(home, 'updates'), { recursive: true });
  writeFileSync(join(home, 'updates', 'product.txt'), `${PRODUCT}\n`);
  if (config) writeFileSync(join(home, 'updates', 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(home, 'repository/conf/deployment.toml'), '[server]\nhostname = "prod.example.com"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n');
  unlinkSync(join(home, 'bin/tool.sh'));
  writeFileSync(join(home, 'repository/conf/my-own.xml'), '<mine/>\n');
  mkdirSync(join(home, 'repository/logs'), { recursive: true });
  writeFileSync(join(home, 'repository/logs/wso2carbon.log'), 'runtime data\n');
  return home;
}

test('init adopts a pack: lineage, serial 0, what is customized and missing; config.json keeps its other keys', async () => {
  const home = freshHome();
  const r = await runCli(['init', '--allow-unsigned', '--home', home, '--repo', repo, '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.product, PRODUCT);
  assert.is(out.level, 0);
  assert.is(out.serial, 0);
  assert.match(out.lineage, /^[0-9a-f-]{36}$/);
  assert.equal(out.report.customized, ['repository/conf/deployment.toml']);
  assert.equal(out.report.missing, ['bin/tool.sh']);
  assert.equal(out.report.userFiles, ['repository/conf/my-own.xml']);
  assert.match(r.stderr, /1 customized, 1 missing; 1 user files/);
  const state = JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'));
  assert.is(state.lineage, out.lineage);
  assert.ok(existsSync(join(home, 'updates/wso2update/manifest.json')));
  const config = JSON.parse(readFileSync(join(home, 'updates/config.json'), 'utf8'));
  assert.equal(Object.keys(config), ['username', 'update-level', 'channel', 'product', 'hotfixes']);
  assert.is(config['update-level'], '0');
  assert.equal(config.product, { name: 'wso2am' });
});

test('init takes the level from config.json "update-level", and --level N or <version>.<level> over it', async () => {
  const home = freshHome({ 'update-level': '1' });
  const r = await runCli(['init', '--allow-unsigned', '--home', home, '--repo', repo, '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).level, 1);
  const home2 = freshHome(null);
  const r2 = await runCli(['init', '--allow-unsigned', '--home', home2, '--repo', repo, '--level', '4.2.0.2', '--json']);
  assert.is(r2.code, 0, r2.stderr);
  assert.is(JSON.parse(r2.stdout).level, 2);
  const config = JSON.parse(readFileSync(join(home2, 'updates/config.json'), 'utf8'));
  assert.is(config['update-level'], '2');
  assert.is(config.product.pattern, PRODUCT);
});

test('init --keep-generations sets how many applies revert can reach', async () => {
  const home = freshHome();
  const r = await runCli(['init', '--allow-unsigned', '--home', home, '--repo', repo, '--keep-generations', '5', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).keepGenerations, 5);
  assert.is(JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).keepGenerations, 5);
});

test('init refuses bad input and changes nothing', async () => {
  const cases: [string, (home: string) => string[], RegExp][] = [
    ['zero generations', (h) => ['init', '--allow-unsigned', '--home', h, '--repo', repo, '--keep-generations', '0'], /--keep-generations must be a whole number from 1 to 100/],
    ['fractional generations', (h) => ['init', '--allow-unsigned', '--home', h, '--repo', repo, '--keep-generations', '2.5'], /--keep-generations/],
    ['unknown level', (h) => ['init', '--allow-unsigned', '--home', h, '--repo', repo, '--level', '9'], /level 9|not found|not published/i],
    ['fractional level', (h) => ['init', '--allow-unsigned', '--home', h, '--repo', repo, '--level', '1.10'], /--level must be a whole number/],
    ['no repository', (h) => ['init', '--allow-unsigned', '--home', h], /--repo/],
    ['missing repository folder', (h) => ['init', '--allow-unsigned', '--home', h, '--repo', join(root, 'nope')], /nope/],
  ];
  for (const [name, args, re] of cases) {
    const home = freshHome();
    const r = await runCli(args(home));
    assert.is(r.code, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr, re, name);
    assert.not.ok(existsSync(join(home, 'updates/wso2update/state.json')), `${name}: state written`);
    assert.is(JSON.parse(readFileSync(join(home, 'updates/config.json'), 'utf8'))['update-level'], '0', name);
  }
  const noProduct = freshHome();
  rmSync(join(noProduct, 'updates/product.txt'));
  const r = await runCli(['init', '--allow-unsigned', '--home', noProduct, '--repo', repo]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /is not a WSO2 product home: it has no updates\/product\.txt/);
  const badProduct = freshHome();
  writeFileSync(join(badProduct, 'updates/product.txt'), 'wso2am 4.2\n');
  const r2 = await runCli(['init', '--allow-unsigned', '--home', badProduct, '--repo', repo]);
  assert.is(r2.code, 1);
  assert.match(r2.stderr, /not of the form <name>-<x\.y\.z>/);
});

test('init twice is refused; a pack with a journal is busy (exit 6)', async () => {
  const home = freshHome();
  assert.is((await runCli(['init', '--allow-unsigned', '--home', home, '--repo', repo])).code, 0);
  const before = readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8');
  const again = await runCli(['init', '--allow-unsigned', '--home', home, '--repo', repo]);
  assert.is(again.code, 1);
  assert.match(again.stderr, /already adopted/);
  assert.is(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'), before);
  const other = freshHome();
  mkdirSync(join(other, 'updates/wso2update'), { recursive: true });
  writeFileSync(join(other, 'updates/wso2update/journal.json'), '{}');
  const busy = await runCli(['init', '--allow-unsigned', '--home', other, '--repo', repo]);
  assert.is(busy.code, 6);
  assert.match(busy.stderr, /recover/);
});

test('run from <product-home>/bin, home is the parent; status and status --verify', async () => {
  const home = freshHome();
  assert.is((await runCli(['init', '--allow-unsigned', '--repo', repo], { cwd: join(home, 'bin') })).code, 0);
  const s = await runCli(['status'], { cwd: join(home, 'bin') });
  assert.is(s.code, 0, s.stderr);
  assert.match(s.stderr, new RegExp(`${PRODUCT} at level 0`));
  assert.match(s.stderr, /no generations kept/);
  writeFileSync(join(home, 'lib/a.jar'), 'patched by hand');
  const v = await runCli(['status', '--home', home, '--verify', '--json']);
  assert.is(v.code, 0, v.stderr);
  const out = JSON.parse(v.stdout);
  assert.equal(out.verify.customized, ['lib/a.jar', 'repository/conf/deployment.toml']);
  assert.equal(out.verify.missing, ['bin/tool.sh']);
  assert.is(out.pending, null);
  assert.is(statSync(join(home, 'repository/logs/wso2carbon.log')).size, 13);
});

test('status reports a journal but exits 6 (interrupted) or 3 (conflicts wait); check exits 6', async () => {
  const home = freshHome();
  assert.is((await runCli(['init', '--allow-unsigned', '--home', home, '--repo', repo])).code, 0);
  const journal = join(home, 'updates/wso2update/journal.json');
  writeFileSync(journal, JSON.stringify({ phase: 'swapping' }));
  const s = await runCli(['status', '--home', home]);
  assert.is(s.code, 6);
  assert.match(s.stderr, new RegExp(`PENDING: an interrupted run left a journal \\(phase swapping\\): run \`${PROG} recover --home \\S+\``));
  const c = await runCli(['check', '--home', home]);
  assert.is(c.code, 6);
  assert.match(c.stderr, /recover/);
  // A journal is believed only when it is valid (apply/journal.ts journalStatus): an invalid one saying it waits is
  // still an interrupted run, whose problem `recover` names; a valid waiting one is exit 3.
  writeFileSync(journal, JSON.stringify({ phase: 'awaiting-resolution' }));
  assert.is((await runCli(['status', '--home', home])).code, 6);
  const waiting = {
    formatVersion: 1, planDigest: 'a'.repeat(64), generation: 'g1-0-1', direction: 'update', product: PRODUCT, fromLevel: 0, toLevel: 1,
    phase: 'awaiting-resolution', steps: [], resolveSteps: [], conflicts: [{ path: 'lib/a.jar', reason: 'binary', mode: '0644' }],
  };
  writeFileSync(journal, JSON.stringify(waiting));
  const w = await runCli(['status', '--home', home, '--json']);
  assert.is(w.code, 3);
  assert.match(JSON.parse(w.stdout).pending, /apply --continue/);
});

test('plan run from <home>/bin writes its plan under updates/wso2update/, never among the product files', async () => {
  const home = freshHome();
  assert.is((await runCli(['init', '--allow-unsigned', '--home', home, '--repo', repo])).code, 0);
  // (WSO2's --dry-run writes no plan at all since issue 17: `plan` is the one that writes one)
  const r = await runCli(['plan'], { cwd: join(home, 'bin') });
  assert.ok([0, 3].includes(r.code ?? -1), r.stderr);
  assert.ok(existsSync(join(home, 'updates/wso2update/wso2update.plan.json')));
  assert.not.ok(existsSync(join(home, 'bin/wso2update.plan.json')));
});

test('a broken config.json is named without quoting its content (it may hold credentials)', async () => {
  const home = freshHome(null);
  writeFileSync(join(home, 'updates/config.json'), '{"username": "admin", "password": "s3cr3t-value", oops}');
  const r = await runCli(['init', '--allow-unsigned', '--home', home, '--repo', repo]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /config\.json is not a JSON object \(syntax error at character \d+\)/);
  assert.not.match(r.stderr, /s3cr3t/);
});

test('status on a pack never adopted says to run init', async () => {
  const home = freshHome();
  const r = await runCli(['status', '--home', home]);
  assert.is(r.code, 1);
  assert.match(r.stderr, new RegExp(`\`${PROG} init --repo <repository> --home \\S+\``));
});

test('check: exit 10 with the newer levels and their advisories, 0 when up to date (WSO2 current-state works too)', async () => {
  const home = freshHome();
  assert.is((await runCli(['init', '--allow-unsigned', '--home', home, '--repo', repo])).code, 0);
  const r = await runCli(['check', '--home', home, '--json']);
  assert.is(r.code, 10, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.newer.map((x: { level: number }) => x.level), [1, 2]);
  assert.is(out.latest, 2);
  assert.match(r.stderr, /2 newer levels available/);
  assert.match(r.stderr, /1 security advisory/);
  const top = freshHome({ 'update-level': '2' });
  assert.is((await runCli(['init', '--allow-unsigned', '--home', top, '--repo', repo])).code, 0);
  const r2 = await runCli(['check', '--home', top]);
  assert.is(r2.code, 0);
  assert.match(r2.stderr, /up to date at level 2/);
  const cs = await runCli(['current-state', '--home', top]);
  assert.is(cs.code, 0);
  assert.match(cs.stderr, /at level 2/);
});

test.run();
