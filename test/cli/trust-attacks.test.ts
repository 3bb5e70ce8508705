// Every attack the update channel must refuse (test/helpers/tuf-attacks.ts), against a signed repository in a folder
// (the FolderTransport; over HTTP: http-attacks.test.ts): each exits 7 with a one-line reason, writes no plan, and
// leaves the pack's trusted metadata byte for byte as it was. The client trusts timestamp v5 / snapshot v4 / targets v4.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeHome } from '../../scripts/build-fixtures.mjs';
import { attackBench } from '../helpers/tuf-attacks.js';
import { copyRepo, filesOf } from '../helpers/tuf-evil.js';
import { runCli, tmpDir } from '../helpers/tmp.js';

const dir = tmpDir('wso2update-trust-attacks-');
const { fx, next, attacks } = await attackBench(dir);
const home = writeHome(join(dir, 'home'), { customize: true });
const init = await runCli(['init', '--home', home, '--repo', fx.repo, '--trust-root', fx.root]);
assert.is(init.code, 0, init.stderr);
const trust = join(home, 'updates/wso2update/trust');

let n = 0;
for (const { name, mutate, reason, fromTrusted } of attacks) {
  test(`refused with exit 7, a one-line reason and the trusted state unchanged: ${name}`, async () => {
    const evil = copyRepo(fromTrusted ? fx.repo : next, join(dir, `evil-${n++}`));
    await mutate(evil);
    // Blobs a refused plan had already verified stay in the pack's cache (and would be used instead of the
    // repository's copy): empty it so every attack meets the repository's bytes.
    rmSync(join(home, 'updates/wso2update/cache'), { recursive: true, force: true });
    const before = filesOf(trust);
    const state = readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8');
    const out = join(dir, `plan-${n}.json`);
    const r = await runCli(['plan', '--home', home, '--repo', evil, '--out', out]);
    assert.is(r.code, 7, `${name}: exit ${r.code}\n${r.stderr}`);
    const first = r.stderr.split('\n')[0];
    assert.match(first, /^Error: /);
    assert.match(first.slice('Error: '.length), reason, `${name}: ${first}`);
    assert.equal(filesOf(trust), before, `${name}: trusted metadata changed`);
    assert.is(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'), state);
    assert.not.ok(existsSync(out), `${name}: a plan was written`);
  });
}

test('after all that, the publisher\'s real next state is accepted and becomes the trusted state', async () => {
  const before = filesOf(trust);
  const r = await runCli(['plan', '--home', home, '--repo', next, '--out', join(dir, 'plan-next.json')]);
  assert.is(r.code, 3, r.stderr); // the fixtures' plan holds conflicts
  const ts = JSON.parse(readFileSync(join(trust, 'timestamp.json'), 'utf8'));
  assert.is(ts.signed.version, 6);
  assert.is(JSON.parse(readFileSync(join(trust, 'targets.json'), 'utf8')).signed.version, 5);
  assert.not.equal(filesOf(trust), before);
  const again = await runCli(['check', '--home', home, '--repo', fx.repo]);
  assert.is(again.code, 7, 'the older repository is now a rollback');
  assert.match(again.stderr, /rollback refused/);
});

test.run();
