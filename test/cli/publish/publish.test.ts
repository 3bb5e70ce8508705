// `wso2update publish` through a real child process: exit 0 with the summary on stderr and JSON on stdout;
// exit 1 with a message that says what is wrong and what to do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tmpDir } from '../../helpers/tmp.js';

function fixture(): { tree: string; repo: string; notes: string } {
  const dir = tmpDir('cli-publish');
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'lib'), { recursive: true });
  writeFileSync(join(tree, 'lib/a.jar'), 'A');
  mkdirSync(join(tree, 'repository/logs'), { recursive: true });
  writeFileSync(join(tree, 'repository/logs/carbon.log'), 'runtime');
  const notes = join(dir, 'notes.yaml');
  writeFileSync(notes, 'title: GA\ndate: 2024-03-01\nfixes:\n  - {id: F-1, title: A fix}\n');
  return { tree, repo: join(dir, 'repo'), notes };
}

const base = (f: { tree: string; repo: string }, level: string) => ['publish', '--repo', f.repo, '--product', 'wso2am-4.2.0', '--level', level, '--tree', f.tree];

test('exit 0: summary on stderr, result as JSON on stdout', async () => {
  const f = fixture();
  const r = await runCli([...base(f, '0'), '--notes', f.notes, '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /^Published wso2am-4\.2\.0 level 0: 1 files \(first level: 1 added, 0 modified, 0 removed\); 1 new blobs/);
  const out = JSON.parse(r.stdout);
  assert.equal([out.product, out.level, out.files, out.unchanged], ['wso2am-4.2.0', 0, 1, false]);
  const again = await runCli(base(f, '0'));
  assert.is(again.code, 0);
  assert.match(again.stderr, /already published with this content/);
  assert.is(again.stdout, '');
});

test('exit 1: bad level, lower level, bad notes, missing options (message says what to do)', async () => {
  const f = fixture();
  assert.is((await runCli(base(f, '4'))).code, 0);
  const cases: [string[], RegExp][] = [
    [base(f, '1.10'), /--level must be a whole number/],
    [base(f, 'two'), /--level must be a whole number[\s\S]*--help/],
    [base(f, '3'), /level 3 is below the latest published level 4[\s\S]*publish it as level 5 or higher/],
    [['publish', '--repo', f.repo, '--level', '5', '--tree', f.tree], /publish needs --product[\s\S]*--product wso2am-4\.2\.0/],
    [[...base(f, '5'), '--date', '2024-3-1'], /--date must be YYYY-MM-DD/],
  ];
  const badNotes = join(f.repo, '..', 'bad.yaml');
  writeFileSync(badNotes, 'title: t\nsecurityAdvisories:\n  - {id: A-1, severity: urgent, title: x}\n');
  cases.push([[...base(f, '5'), '--notes', badNotes], /bad\.yaml:3:\d+: securityAdvisories\[0\]\.severity must be one of low, medium, high, critical, got "urgent"/]);
  for (const [args, re] of cases) {
    const r = await runCli(args);
    assert.is(r.code, 1, args.join(' '));
    assert.match(r.stderr, re);
    assert.is(r.stdout, '');
  }
});

test.run();
