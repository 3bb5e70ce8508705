// A pack's repository: adopted straight from an offline bundle (issue 17: `init --repo bundle.tar --trust-root
// root.json` exited 7 with "it trusts no root (it was adopted with --allow-unsigned)", which was false), and
// re-pointed once adopted (`init --reconfigure`: a new URL, a mirror, a bundle) with the trust kept or pinned anew.
// Every refusal leaves the pack exactly as it was, including no empty updates/wso2update/ after a failed init.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../../src/core/canonical.js';
import { makeFixture, snapshot } from '../../helpers/pack.js';
import { refusedCleanly as refused } from '../../helpers/refusal.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

type Fx = { repo: string; root: string; product: string };
const dir = tmpDir('wso2update-reconfigure-');
const fx = buildFixtures(join(dir, 'fx')) as Fx;
let n = 0;
const fresh = (name: string) => join(dir, `${n++}-${name}`);
const EPOCH = { SOURCE_DATE_EPOCH: String(Math.floor(Date.now() / 1000) - 60) };

async function ok(args: string[], code = 0) {
  const r = await runCli(args, { env: EPOCH });
  assert.is(r.code, code, `${args.join(' ')}\n${r.stderr}`);
  return r;
}

const bundle = fresh('b-0-2.tar');
await ok(['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '2', '--out', bundle]);
const state = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'));
const refusedCleanly = (home: string, args: string[], code: number, re: RegExp) => refused(home, args, code, re, fresh('tmp'));

test('a pack never adopted adopts from a bundle (--trust-root, --trust-root-sha256, gzip) and updates from it alone', async () => {
  const rootSha = sha256Hex(readFileSync(fx.root));
  const gz = fresh('b.tar.gz');
  writeFileSync(gz, gzipSync(readFileSync(bundle)));
  for (const [pin, file] of [[['--trust-root', fx.root], bundle], [['--trust-root-sha256', rootSha], bundle], [['--trust-root', fx.root], gz]] as const) {
    const home = writeHome(fresh('home'));
    const r = await ok(['init', '--home', home, '--repo', file, ...pin]);
    assert.match(r.stderr, `repository ${file}`);
    assert.is(state(home).repository, file);
    assert.not.ok(state(home).allowUnsigned);
    const applied = await ok(['apply', '--home', home, '--yes']);
    assert.match(applied.stderr, 'level 0 -> 2');
    assert.equal(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8').includes('"level": 2'), true);
  }
});

test('a bundle with --allow-unsigned is refused truthfully, and a failed init leaves no updates/wso2update/ behind', async () => {
  const home = writeHome(fresh('home'));
  const err = await refusedCleanly(home, ['init', '--repo', bundle, '--allow-unsigned'], 7, /never accepted unsigned/);
  assert.not.match(err, 'it was adopted with --allow-unsigned');
  assert.match(err, `--trust-root ROOT.json`);
  assert.not.ok(existsSync(join(home, 'updates/wso2update')));
  // a wrong root sha256, and a root that is not the bundle's: refused, nothing left
  await refusedCleanly(home, ['init', '--repo', bundle, '--trust-root-sha256', 'a'.repeat(64)], 7, /not the a{64} given/);
  const other = buildFixtures(fresh('other')) as Fx;
  await refusedCleanly(home, ['init', '--repo', bundle, '--trust-root', other.root], 7, /./);
  assert.not.ok(existsSync(join(home, 'updates/wso2update')));
});

test('--reconfigure: a folder pack moves to a bundle with its trust kept, then to a mirror folder; level, lineage and serial stay', async () => {
  const repo = fresh('repo');
  cpSync(fx.repo, repo, { recursive: true });
  const home = writeHome(fresh('home'));
  await ok(['init', '--home', home, '--repo', repo, '--trust-root', fx.root]);
  const before = state(home);
  const r = await ok(['init', '--home', home, '--reconfigure', '--repo', bundle]);
  assert.match(r.stderr, `repository ${bundle} (was ${repo})`);
  assert.match(r.stderr, '(kept)');
  const after = state(home);
  assert.equal({ ...after, repository: before.repository }, before);
  await ok(['plan', '--home', home, '--out', fresh('plan.json')]);
  // the bundle is deleted: the commands that need no repository say nothing about it
  const copy = fresh('copy.tar');
  cpSync(bundle, copy);
  await ok(['init', '--home', home, '--reconfigure', '--repo', copy]);
  rmSync(copy);
  const st = await ok(['status', '--home', home]);
  assert.not.match(st.stderr, /warning/i);
  // back to a channel folder: a mirror (here a copy) of the same channel
  const mirror = fresh('mirror');
  cpSync(fx.repo, mirror, { recursive: true });
  await ok(['init', '--home', home, '--reconfigure', '--repo', mirror]);
  assert.is(state(home).repository, mirror);
  const applied = await ok(['apply', '--home', home, '--yes', '--level', '1']);
  assert.match(applied.stderr, 'level 0 -> 1');
});

test('--reconfigure refusals change nothing: another channel with the kept root, a missing location, not adopted, a level flag', async () => {
  const repo = fresh('repo');
  cpSync(fx.repo, repo, { recursive: true });
  const home = writeHome(fresh('home'));
  await ok(['init', '--home', home, '--repo', repo, '--trust-root', fx.root]);
  const other = buildFixtures(fresh('other')) as Fx;
  await refusedCleanly(home, ['init', '--reconfigure', '--repo', other.repo], 7, /./);
  await refusedCleanly(home, ['init', '--reconfigure', '--repo', fresh('nowhere')], 1, /does not exist/);
  await refusedCleanly(home, ['init', '--reconfigure', '--repo', repo, '--level', '1'], 1, /changes only the repository/);
  const fresher = writeHome(fresh('home'));
  await refusedCleanly(fresher, ['init', '--reconfigure', '--repo', repo], 1, /not adopted yet/);
});

test('--reconfigure with a root pins anew: the same content from a channel signed by other keys; an unsigned pack becomes signed', async () => {
  const other = buildFixtures(fresh('other')) as Fx;
  const repo = fresh('repo');
  cpSync(fx.repo, repo, { recursive: true });
  const home = writeHome(fresh('home'));
  await ok(['init', '--home', home, '--repo', repo, '--trust-root', fx.root]);
  const r = await ok(['init', '--home', home, '--reconfigure', '--repo', other.repo, '--trust-root', other.root]);
  assert.match(r.stderr, '(pinned anew)');
  assert.ok(readFileSync(join(home, 'updates/wso2update/trust/root.json')).equals(readFileSync(other.root)));
  assert.not.ok(existsSync(join(home, 'updates/wso2update/trust.next')));
  await ok(['check', '--home', home], 10);
  // an unsigned pack (adopted with --allow-unsigned) cannot take a bundle until it pins a root; then it can
  const unsigned = writeHome(fresh('home'));
  await ok(['init', '--home', unsigned, '--repo', repo, '--allow-unsigned']);
  await refusedCleanly(unsigned, ['init', '--reconfigure', '--repo', bundle], 7, /never accepted unsigned/);
  await ok(['init', '--home', unsigned, '--reconfigure', '--repo', bundle, '--trust-root', fx.root]);
  assert.not.ok(state(unsigned).allowUnsigned);
  await ok(['apply', '--home', unsigned, '--yes']);
});

test('--reconfigure to a repository that serves the pack\'s level with another manifest is refused (exit 7), nothing changed', async () => {
  const f = await makeFixture(); // an unsigned pack of the small fixture: same product name, other files
  const snap = snapshot(f.home, () => false);
  await refusedCleanly(f.home, ['init', '--reconfigure', '--repo', fx.repo, '--trust-root', fx.root], 7, /another manifest/);
  assert.equal([...snapshot(f.home, () => false).keys()], [...snap.keys()]);
});

test.run();
