// Issue 8, what a new user reads: messages that say what is wrong and what to do, help for every command, "did you
// mean", and the progress display, all through real processes (a pseudo-terminal where only a terminal shows it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../../src/cli/spec.js';
import { LEVEL0, makeFixture, snapshot, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { runInPty } from '../../helpers/pty.js';
import { CLI_LINE, PROG, runCli, tmpDir } from '../../helpers/tmp.js';

// The blob cache is the tool's own (planning fills it, a commit empties it): not a change to the pack.
const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r === 'updates/wso2update/cache' || r.startsWith('updates/logs'));
const TOML = LEVEL0['repository/conf/deployment.toml'] as string;
/** Two conflicts at level 1: a customized jar the update replaces, and an edit on the line the update changes. */
const conflicted = (): Promise<Fixture> =>
  makeFixture(undefined, { 'lib/a.jar': 'patched', 'repository/conf/deployment.toml': TOML.replace('jdbc:h2', 'jdbc:mysql') });
const CONFLICTS = ['lib/a.jar', 'repository/conf/deployment.toml'];
const count = (text: string, word: string) => text.split(word).length - 1;

test('a folder that is no product home says so, for every command, and gets nothing written into it', async () => {
  const dir = tmpDir('not-a-pack-');
  const cases = [['status'], ['plan'], ['check'], ['apply', '--yes'], ['apply', '--continue'], ['revert', '--yes'], ['recover'], ['init', '--repo', dir]];
  for (const args of cases) {
    const r = await runCli([...args, '--home', dir]);
    assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, `Error: ${dir} is not a WSO2 product home: it has no updates/product.txt`, args.join(' '));
    assert.match(r.stderr, 'Pass --home <product-home>', args.join(' '));
    assert.not.match(r.stderr, /state not found|run init/, args.join(' '));
    assert.equal(readdirSync(dir), [], `${args.join(' ')} wrote into the folder`);
  }
});

test('recover names the folder it checked', async () => {
  const f = await makeFixture();
  const r = await runCli(['recover', '--home', f.home]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, `Nothing to recover in ${f.home}: no interrupted run left a journal there.`);
});

test('show on a file that is not a plan: one line; on a folder: a sentence (and the plan inside, if there is one)', async () => {
  const f = await makeFixture();
  const notPlan = await runCli(['show', join(f.home, 'updates/wso2update/state.json')]);
  assert.is(notPlan.code, 1);
  assert.match(notPlan.stderr, new RegExp(`^Error: \\S+state\\.json is not a plan file \\(it has no plan's "actions" and "digest"\\)\\n\\n {2}Pass the file that \`${PROG} plan\` wrote`));
  assert.is(notPlan.stderr.trim().split('\n').length, 3, notPlan.stderr);
  const script = await runCli(['show', join(f.home, 'bin/api-manager.sh')]);
  assert.match(script.stderr, /^Error: \S+api-manager\.sh is not a plan file: it is not JSON \(line 1, column 1\)\n/);
  assert.is(script.stderr.trim().split('\n').length, 3, script.stderr);
  const folder = await runCli(['show', f.home]);
  assert.is(folder.code, 1);
  assert.match(folder.stderr, `Error: ${f.home} is a folder, not a plan file`);
  assert.not.match(folder.stderr, 'EISDIR');
  assert.is((await runCli(['plan', '--home', f.home], { cwd: join(f.home, 'bin') })).code, 0); // lands in updates/wso2update/
  const inside = await runCli(['show', f.home]);
  assert.match(inside.stderr, `Did you mean ${join(f.home, 'updates/wso2update/wso2update.plan.json')}?`);
});

test('plan exiting 3 says why in its last line; apply lists each conflict once with the ways out said once', async () => {
  const f = await conflicted();
  const out = join(tmpDir(), 'p.json');
  const plan = await runCli(['plan', '--home', f.home, '--level', '1', '--out', out]);
  assert.is(plan.code, 3, plan.stderr);
  const last = plan.stderr.trim().split('\n').at(-1) as string;
  assert.match(last, new RegExp(`^2 conflicts: apply will stop on them and wait for your \\.final files; see \`${PROG} show \\S+p\\.json\`\\.$`));
  const r = await runCli(['apply', out, '--home', f.home]);
  assert.is(r.code, 3, r.stderr);
  for (const path of CONFLICTS) {
    assert.match(r.stderr, `\n  ! ${path}\n`);
    assert.is(count(r.stderr, path), 1, `${path} is named more than once:\n${r.stderr}`);
  }
  assert.is(count(r.stderr, 'cp FILE FILE.final'), 1);
  assert.match(r.stderr, [
    'Decide each FILE by writing FILE.final (the content to install) or an empty FILE.absent (no file at all):',
    '  keep yours:         cp FILE FILE.final',
    "  take the update's:  cp FILE.new FILE.final",
    '  or edit a merge of the two into FILE.final',
    '  no file:            touch FILE.absent',
  ].join('\n'));
  assert.match(r.stderr, `FILE.original is level 0's version as shipped and FILE.new level 1's`);
  assert.match(r.stderr, 'Commit: waits for your .final or .absent files');
  assert.not.match(r.stderr, 'not needed');
  // status while they wait: no "nothing to revert", and the way forward as commands to paste.
  const s = await runCli(['status', '--home', f.home]);
  assert.is(s.code, 3);
  assert.not.match(s.stderr, 'nothing to revert');
  assert.match(s.stderr, new RegExp(`then run \`${PROG} apply --continue --home \\S+\` \\(or \`${PROG} revert --home \\S+\` to undo that update\\)`));
  // --continue shows its own steps (plain lines here; the terminal's list is checked below).
  for (const path of CONFLICTS) writeFileSync(join(f.home, `${path}.final`), readFileSync(join(f.home, path)));
  const done = await runCli(['apply', '--continue', '--home', f.home]);
  assert.is(done.code, 0, done.stderr);
  for (const phase of ['Check the plan against the pack...', 'Stage new files...', 'Swap files into place...', 'Commit...']) assert.match(done.stderr, phase);
  assert.match(done.stderr, 'Applied (level 0 -> 1)');
});

test('show speaks an operator\'s words; the ids stay in --json', async () => {
  const f = await conflicted();
  const out = join(tmpDir(), 'p.json');
  await runCli(['plan', '--home', f.home, '--level', '1', '--out', out]);
  const text = (await runCli(['show', out])).stdout;
  for (const jargon of ['Bound to', 'lineage', 'serial', 'Policy:', 'text-overlap', 'binary-customized', '"stop"']) assert.not.match(text, jargon);
  assert.match(text, 'For:        this pack as it is now');
  assert.match(text, 'Conflicts:  apply leaves your file as it is and waits for you to write a .final file beside it');
  assert.match(text, '! conflict repository/conf/deployment.toml (your edits and the update change the same lines; apply waits for your .final or .absent)');
  const json = JSON.parse((await runCli(['show', out, '--json'])).stdout);
  assert.is(json.onConflict, 'stop');
  assert.is(typeof json.lineage, 'string');
  assert.is(json.actions.find((a: { path: string }) => a.path === 'lib/a.jar').reason, 'binary-customized');
});

test('the questions say what will happen: conflicts that will wait, levels and files of a revert', async () => {
  const f = await conflicted();
  const before = full(f.home);
  const apply = await runInPty(`${CLI_LINE} apply --home ${f.home} --level 1`, { cwd: f.home, input: 'n\n' });
  assert.is(apply.code, 0, apply.output);
  assert.match(apply.output, /Apply this plan: level 0 -> 1, \d+ files\? \(2 conflicts will wait for you\) \[y\/N\]/);
  assert.match(apply.output, 'Nothing applied.');
  assert.equal(snapshotDiff(before, full(f.home)), []);
  const g = await makeFixture();
  assert.is((await runCli(['apply', '--home', g.home, '--level', '1', '--yes'])).code, 0);
  const files = JSON.parse(readFileSync(join(g.home, 'updates/wso2update/generations', readdirSync(join(g.home, 'updates/wso2update/generations'))[0], 'generation.json'), 'utf8')).entries.length;
  const revert = await runInPty(`${CLI_LINE} revert --home ${g.home}`, { cwd: g.home, input: 'n\n' });
  assert.match(revert.output, `Revert 1 update: level 1 -> 0, ${files} files? [y/N]`);
  assert.match(revert.output, 'Nothing reverted.');
});

test('on a terminal: a conflict stop shows "waits for your .final files", --continue its real steps, staging ends at its total', async () => {
  const f = await conflicted();
  const stop = await runInPty(`${CLI_LINE} apply --home ${f.home} --level 1 --yes`, { cwd: f.home });
  assert.is(stop.code, 3, stop.output);
  assert.match(stop.output, '✔ Swap files into place');
  assert.match(stop.output, 'Commit: waits for your .final or .absent files (then apply --continue)');
  assert.not.match(stop.output, 'Commit: not needed');
  const staged = [...stop.output.matchAll(/Stage new files \(([\d.]+ (?:MB|kB|bytes?)) of ([\d.]+ (?:MB|kB|bytes?))(?:, \d+\/\d+ files)?\)/g)].at(-1);
  assert.ok(staged && staged[1] === staged[2], `staging did not end at its total: ${staged?.[0]}`);
  assert.not.match(stop.output, '0.0 MB', 'a small update is counted in kB or bytes (issue 17: "0.0 MB of 0.0 MB")');
  for (const path of CONFLICTS) writeFileSync(join(f.home, `${path}.final`), readFileSync(join(f.home, `${path}.new`)));
  const cont = await runInPty(`${CLI_LINE} apply --continue --home ${f.home}`, { cwd: f.home });
  assert.is(cont.code, 0, cont.output);
  for (const phase of ['Check the plan against the pack', 'Stage new files', 'Swap files into place', 'Commit']) assert.match(cont.output, `✔ ${phase}`);
  assert.not.match(cont.output, /not needed|↓/);
});

test('every command\'s --help: a one-line description, options with their meaning, one example, its exit codes', async () => {
  for (const c of COMMANDS) {
    const r = await runCli([c.name, '--help']);
    assert.is(r.code, 0, c.name);
    const [first] = r.stdout.split('\n');
    assert.match(first, new RegExp(`^${PROG} ${c.name}: \\S.{10,}`), c.name);
    const section = (title: string) => (new RegExp(`\\n${title}:\\n((?: {2}.+\\n)+)`).exec(r.stdout)?.[1] ?? '');
    const options = section('Options').replace(/\n$/, '').split('\n');
    assert.ok(options.length >= 2, `${c.name}: options`);
    for (const line of options) assert.match(line, /^ {2}-\S*(?:.*\S)? {2,}\S.{5,}/, `${c.name}: an option without its meaning: ${line}`);
    assert.match(section('Example'), new RegExp(`^ {2}${PROG} ${c.name}\\b`), `${c.name}: example`);
    const exits = section('Exit codes').trim().split('\n');
    assert.ok(exits.length >= 1 && exits.every((l) => /^\d+ {2,}\S/.test(l.trim())), `${c.name}: exit codes`);
  }
  const overview = await runCli(['--help']);
  for (const c of COMMANDS) assert.match(overview.stdout, new RegExp(`\\n {2}${c.name}\\b.* {2}\\S`), c.name);
});

test('"did you mean" for a mistyped command or flag', async () => {
  const f = await makeFixture();
  const cases: [string[], string][] = [
    [['pln'], 'unknown command "pln". Did you mean `plan`?'],
    [['revret'], 'Did you mean `revert`?'],
    [['staus'], 'Did you mean `status`?'],
    [['plan', '--hme', f.home], 'Unknown option `--hme` for `plan`. Did you mean `--home`?'],
    [['apply', '--contnue', '--home', f.home], 'Did you mean `--continue`?'],
    [['status', '--verfy', '--home', f.home], 'Did you mean `--verify`?'],
    [['revert', '--to-levl', '0', '--home', f.home], 'Did you mean `--to-level`?'],
    [['help', 'aply'], 'Did you mean `apply`?'],
  ];
  for (const [args, want] of cases) {
    const r = await runCli(args);
    assert.is(r.code, 1, args.join(' '));
    assert.match(r.stderr, want, args.join(' '));
  }
  const far = await runCli(['plan', '--zzzzzz']);
  assert.not.match(far.stderr, 'Did you mean');
});

test.run();
