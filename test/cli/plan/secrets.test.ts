// Review regression: secrets in forms real packs use must not reach plan --json, show (text, json, markdown), the
// daily log or the changelog; --reveal-secrets still prints them. Found leaking: compact JSON pairs
// ({"password":"x"}) and WSO2's <Property name="...Password" value="x"/> attribute form.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LEVEL0, makeFixture, type TreeSpec } from '../../helpers/pack.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

// [path, base, target, the operator's file]: each operator file holds a secret LEAK-<n> on a line the merge shows.
const CASES: [string, string, string, string][] = [
  ['repository/conf/app.json', '{"user":"admin","password":"base-pw"}\nx\n', '{"user":"admin","password":"base-pw"}\ny\n', '{"user":"admin","password":"LEAK-1"}\nx\n'],
  ['repository/conf/site.json', '{\n  "client_secret":"base"\n}\n', '{\n  "client_secret":"base",\n  "n": 2\n}\n', '{\n  "client_secret":"LEAK-2"\n}\n'],
  ['repository/conf/user-mgt.xml', '<Property name="ConnectionPassword" value="base"/>\n<a>1</a>\n', '<Property name="ConnectionPassword" value="base"/>\n<a>2</a>\n', '<Property name="ConnectionPassword" value="LEAK-3"/>\n<a>1</a>\n'],
  ['repository/conf/axis2.xml', '<parameter name="keystorePassword" locked="false" value=\'base\'/>\n<b/>\n', '<parameter name="keystorePassword" locked="false" value=\'base\'/>\n<c/>\n', '<parameter name="keystorePassword" locked="false" value=\'LEAK-4\'/>\n<b/>\n'],
  ['repository/conf/deployment.toml', '[db]\npassword = "base"\nurl = "a"\n', '[db]\npassword = "base"\nurl = "b"\n', '[db]\npassword = "LEAK-5"\nurl = "a"\n'],
  ['repository/conf/k.properties', 'a=1\nkeystore.password=base\n', 'a=2\nkeystore.password=base\n', 'a=1\nkeystore.password=LEAK-6\n'],
];

async function setup() {
  const l0: TreeSpec = { ...LEVEL0 };
  const l1: TreeSpec = { ...LEVEL0 };
  const mine: TreeSpec = {};
  for (const [path, base, target, own] of CASES) {
    l0[path] = base;
    l1[path] = target;
    mine[path] = own;
  }
  const f = await makeFixture([l0, l1], mine);
  const plan = join(tmpDir(), 'plan.json');
  const planned = await runCli(['plan', '--home', f.home, '--out', plan, '--json']);
  return { ...f, plan, planned };
}

const leaks = (text: string): string[] => [...new Set(text.match(/LEAK-\d/g) ?? [])].sort();
const ALL = CASES.map((_, i) => `LEAK-${i + 1}`);

test('the plan file keeps the real text (apply writes it), every view masks it', async () => {
  const s = await setup();
  assert.ok([0, 3].includes(s.planned.code as number), s.planned.stderr);
  assert.equal(leaks(readFileSync(s.plan, 'utf8')), ALL, 'the plan file holds what apply writes');
  assert.equal(leaks(s.planned.stdout), [], 'plan --json');
  assert.equal(leaks(s.planned.stderr), [], 'plan summary');
  for (const view of [[], ['--json'], ['--markdown']]) {
    const r = await runCli(['show', s.plan, ...view]);
    assert.is(r.code, 0, r.stderr);
    assert.equal(leaks(r.stdout + r.stderr), [], `show ${view.join(' ')}`);
  }
  const revealed = await runCli(['show', s.plan, '--reveal-secrets']);
  assert.equal(leaks(revealed.stdout), ALL, 'show --reveal-secrets prints them');
});

test('apply, its log and its changelog do not print them either', async () => {
  const s = await setup();
  const r = await runCli(['apply', s.plan, '--home', s.home, '--json']);
  assert.ok([0, 3].includes(r.code as number), r.stderr);
  assert.equal(leaks(r.stdout + r.stderr), []);
  const updates = join(s.home, 'updates');
  const texts = [
    ...readdirSync(join(updates, 'logs')).map((n) => readFileSync(join(updates, 'logs', n), 'utf8')),
    ...readdirSync(updates).filter((n) => n.startsWith('changelog')).map((n) => readFileSync(join(updates, n), 'utf8')),
  ];
  assert.ok(texts.length > 0, 'a log was written');
  assert.equal(leaks(texts.join('\n')), []);
});

test.run();
