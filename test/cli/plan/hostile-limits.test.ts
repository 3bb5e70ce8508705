// Family 6 (issue 7): hostile sizes end in a clear error (exit 1, what is wrong, what to do), never in "This is a
// bug in wso2update": YAML alias bombs, JSON and YAML nested 20,000 deep, a manifest of 600,000 entries, names
// longer than any file system stores, and a 5,000-character path, which the headline quotes cut to ~200 characters.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDigest } from '../../../src/core/canonical.js';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan } from '../../helpers/pack.js';
import { tamperDescriptor, tamperManifest } from '../../helpers/hostile-repo.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const deepJson = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), 'level: 1\n'].join('\n');

function clear(r: Awaited<ReturnType<typeof runCli>>, what: string, expect: string | RegExp): void {
  assert.is(r.code, 1, `${what}: ${r.stderr.slice(0, 500)}`);
  assert.not.match(r.stderr, 'This is a bug', what);
  assert.match(r.stderr, expect, what);
  const headline = r.stderr.split('\n')[0];
  assert.ok(headline.length < 450, `${what}: headline of ${headline.length} characters`);
}

const REPO_CASES: [string, RegExp | string, (repo: string) => void][] = [
  ['a YAML alias bomb in a descriptor', /alias/, (repo) => tamperDescriptor(repo, 1, bomb)],
  ['a descriptor nested 20,000 deep (flow)', /nested/, (repo) => tamperDescriptor(repo, 1, `level: 1\nx: ${deepJson(20000)}\n`)],
  ['a descriptor nested 2,500 deep (block; 3 MB, under the descriptor size cap)', /nested|not valid YAML/, (repo) => tamperDescriptor(repo, 1, `level: 1\n${Array.from({ length: 2500 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`)],
  ['a manifest nested 20,000 deep', 'nested more than 64 levels', (repo) => tamperManifest(repo, 1, (m) => JSON.stringify(m).replace('"files":{', `"x":${deepJson(20000)},"files":{`))],
  ['a manifest of 600,000 entries', 'more than 500000 entries', (repo) => tamperManifest(repo, 1, (m) => {
    const extra = Array.from({ length: 600_000 }, (_, i) => `"f/${i}":{"kind":"symlink","target":"x"}`).join(',');
    return JSON.stringify(m).replace('"files":{', `"files":{${extra},`);
  })],
  ['a manifest path of 5,000 characters', /characters\)/, (repo) => tamperManifest(repo, 1, (m) => { m.files[`../${'x/'.repeat(2500)}`] = { kind: 'symlink', target: 'a' }; })],
];

test('hostile sizes in the repository: plan says what is wrong, exit 1', async () => {
  for (const [name, expect, tamper] of REPO_CASES) {
    const f = await makeFixture();
    tamper(f.repo);
    const r = await runCli(['plan', '--home', f.home, '--level', '1', '--out', join(tmpDir(), 'p.json')]);
    clear(r, name, expect);
  }
  console.log(`hostile limits: ${REPO_CASES.length} repository cases`);
});

test('hostile sizes in a plan file and in the pack\'s records: show, apply and status say what is wrong, exit 1', async () => {
  const f = await makeFixture();
  const good = await makeTestPlan(f, 1);
  const cases: [string, RegExp | string, string][] = [];
  const longPath = structuredClone(good);
  longPath.actions[0].path = `${'x'.repeat(5000)}/../a`;
  longPath.digest = planDigest(longPath);
  cases.push(['a 5,000-character path in a plan', /characters\)/, JSON.stringify(longPath)]);
  const longName = structuredClone(good);
  longName.actions[0].path = `lib/${'y'.repeat(300)}.jar`;
  longName.digest = planDigest(longName);
  cases.push(['a 300-character name in a plan', 'longer than 255 bytes', JSON.stringify(longName)]);
  cases.push(['a plan nested 20,000 deep', 'nested more than 64', JSON.stringify(good).replace('"notes":', `"x":${deepJson(20000)},"notes":`)]);
  cases.push(['a plan with a duplicate key', 'duplicate key', JSON.stringify(good).replace('"onConflict":"stop"', '"onConflict":"take-theirs","onConflict":"stop"')]);
  for (const [name, expect, text] of cases) {
    const file = join(tmpDir(), 'plan.json');
    writeFileSync(file, text);
    clear(await runCli(['show', file]), `show: ${name}`, expect);
    clear(await runCli(['apply', file, '--home', f.home]), `apply: ${name}`, expect);
  }
  // The plan file itself is fine: writePlan + show of the untouched plan works (the cases are the only problem).
  const ok = join(tmpDir(), 'plan.json');
  await writePlan(ok, good);
  assert.is((await runCli(['show', ok])).code, 0);
  const state = join(f.home, 'updates/wso2update/state.json');
  writeFileSync(state, readFileSync(state, 'utf8').replace('"serial": 0', '"serial": 5, "serial": 0'));
  clear(await runCli(['status', '--home', f.home]), 'state.json with a duplicate key', 'duplicate key');
});

test.run();
