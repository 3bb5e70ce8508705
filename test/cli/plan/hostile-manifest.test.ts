// Family 5 (issue 7): a repository cannot install what no operator would accept. Each level below is tampered
// with (its index sha256 updated, so only the rule under test can catch it); `plan` and `apply` refuse it with a
// message naming the offending path or value, exit 1 (7 for blobs that are not what the manifest says), and the pack
// is unchanged: no generations/ folder left either (family 7). Duplicate keys are refused in JSON and YAML alike;
// case and Unicode twins are warned about by plan and apply, and refused where the file system folds them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../../src/apply/apply.js';
import type { Manifest } from '../../../src/core/model.js';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { blobFile, readManifest, tamperDescriptor, tamperManifest } from '../../helpers/hostile-repo.js';
import { OWNER } from '../../helpers/owner.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';
import { openPack } from '../../../src/io/pack.js';

// The blob cache planning fills (updates/wso2update/cache) holds repository blobs, not pack state.
const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r === 'updates/wso2update/cache' || r.startsWith('updates/logs'));
const A = 'lib/a.jar';
const fileAt = (m: Manifest, p: string) => m.files[p] as Extract<Manifest['files'][string], { kind: 'file' }>;

const RULES: [string, string, (m: Manifest) => void | string][] = [
  ['a symlink climbing out of the pack', '../../../etc', (m) => { m.files['lib/current.jar'] = { kind: 'symlink', target: '../../../etc' }; }],
  ['a config replaced by a link to /etc/shadow', '/etc/shadow', (m) => { m.files['repository/conf/deployment.toml'] = { kind: 'symlink', target: '/etc/shadow' }; }],
  ['mode 0777', '"0777"', (m) => { fileAt(m, A).mode = '0777'; }],
  ['mode 0757', '"0757"', (m) => { fileAt(m, A).mode = '0757'; }],
  ['mode 0000', '"0000"', (m) => { fileAt(m, A).mode = '0000'; }],
  ['a path under updates/', 'updates/wso2update/state.json', (m) => { m.files['updates/wso2update/state.json'] = { ...fileAt(m, A) }; }],
  ['wso2carbon.pid', 'wso2carbon.pid', (m) => { m.files['wso2carbon.pid'] = { ...fileAt(m, A) }; }],
  ['a runtime path (repository/logs)', 'repository/logs/x.log', (m) => { m.files['repository/logs/x.log'] = { ...fileAt(m, A) }; }],
  ['an entry below a shipped file', 'lib/a.jar/x', (m) => { m.files['lib/a.jar/x'] = { ...fileAt(m, A) }; }],
  ['a name longer than 255 bytes', 'longer than 255 bytes', (m) => { m.files[`lib/${'x'.repeat(300)}.jar`] = { ...fileAt(m, A) }; }],
  ['a duplicate key in the manifest JSON', 'duplicate key', (m) => {
    const text = JSON.stringify(m);
    return text.replace(`"${A}":`, `"${A}":${JSON.stringify(m.files[A])},"${A}":`);
  }],
];

test('plan refuses each hostile level, naming what is wrong (exit 1, nothing changed, no internal error)', async () => {
  for (const [name, named, edit] of RULES) {
    const f = await makeFixture();
    const before = full(f.home);
    tamperManifest(f.repo, 1, edit);
    const r = await runCli(['plan', '--home', f.home, '--level', '1', '--out', join(tmpDir(), 'p.json')]);
    assert.is(r.code, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr, named, name);
    assert.not.match(r.stderr, 'This is a bug', name);
    assert.equal(snapshotDiff(before, full(f.home)), [], name);
  }
  console.log(`hostile manifests: ${RULES.length} rule cases refused at plan`);
});

test('apply refuses a plan whose level the repository has since made hostile (the same rules, at apply)', async () => {
  const f = await makeFixture();
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const before = full(f.home);
  tamperManifest(f.repo, 1, (m) => { fileAt(m, A).mode = '0777'; });
  const r = await runCli(['apply', plan, '--home', f.home]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, '"0777"');
  assert.equal(snapshotDiff(before, full(f.home)), []);
});

/** A level whose blob of lib/a.jar is `kind` (a lying size, or a FIFO); apply must refuse at staging, at once. */
async function badBlob(kind: 'size' | 'fifo'): Promise<{ f: Fixture; r: Awaited<ReturnType<typeof runCli>>; before: Map<string, string> }> {
  const f = await makeFixture();
  const sha = fileAt(readManifest(f.repo, 1), A).sha256;
  if (kind === 'size') tamperManifest(f.repo, 1, (m) => { fileAt(m, A).size += 1_000_000; });
  else {
    rmSync(blobFile(f.repo, sha));
    execFileSync('mkfifo', [blobFile(f.repo, sha)]);
  }
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const before = full(f.home);
  const r = await runCli(['apply', plan, '--home', f.home]);
  return { f, r, before };
}

test('a blob whose size lies, or that is a FIFO, is refused at staging before hashing (exit 7, never blocks); no generations/ left', async () => {
  for (const kind of ['size', 'fifo'] as const) {
    const { f, r, before } = await badBlob(kind);
    assert.is(r.code, 7, `${kind}: ${r.stderr}`);
    assert.match(r.stderr, kind === 'size' ? 'its manifest names' : 'not a regular file');
    assert.equal(snapshotDiff(before, full(f.home)), [], kind);
    assert.not.ok(existsSync(join(f.home, 'updates/wso2update/generations')), `${kind}: an empty generations/ was left`);
    assert.not.ok(existsSync(join(f.home, 'updates/wso2update/staging')), kind);
  }
});

test('duplicate keys in a descriptor (YAML) are refused too', async () => {
  const f = await makeFixture();
  tamperDescriptor(f.repo, 1, 'level: 1\ndate: "2024-01-01"\ntitle: Safe\ntitle: Level 1\ndescription: ""\nfixes: []\nsecurityAdvisories: []\nchanges: { added: [], modified: [], removed: [] }\n');
  const r = await runCli(['plan', '--home', f.home, '--level', '1', '--out', join(tmpDir(), 'p.json')]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /[Dd]uplicate|unique/);
  assert.not.match(r.stderr, 'This is a bug');
});

test('case and Unicode-normalization twins: warned by plan and apply; refused where the file system folds them', async () => {
  const twins: [string, string][] = [['lib/Twin.jar', 'lib/twin.jar'], ['conf/caf\u00e9.xml', 'conf/cafe\u0301.xml']];
  for (const [a, b] of twins) {
    const f = await makeFixture();
    tamperManifest(f.repo, 1, (m) => { m.files[a] = { ...fileAt(m, A) }; m.files[b] = { ...fileAt(m, 'lib/b.jar') }; });
    const out = join(tmpDir(), 'p.json');
    const planned = await runCli(['plan', '--home', f.home, '--level', '1', '--out', out]);
    assert.is(planned.code, 0, planned.stderr);
    assert.match(planned.stderr, 'Warning:');
    assert.match(planned.stderr, JSON.stringify(a));
    // Where the file system folds them (a probe says so), nothing is applied.
    const plan = await makeTestPlan(f, 1);
    const before = full(f.home);
    const err = await applyPlan({ owner: OWNER, pack: openPack(f.home), plan, now: new Date(), probeFolding: () => ({ case: true, unicode: true }) }).catch((e) => e);
    assert.match(String(err.message), 'stores as one file');
    assert.equal(snapshotDiff(before, full(f.home)), []);
    // Here (Linux, case-sensitive) apply lands both and says so.
    const applied = await runCli(['apply', out, '--home', f.home]);
    assert.is(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, 'differ only in case or Unicode normalization');
    assert.ok(readFileSync(join(f.home, b)).length > 0);
  }
});

test.run();
