// Every attack the update channel must refuse (test/helpers/tuf-attacks.ts), against a signed repository in a folder
// (the FolderTransport; over HTTP: http-attacks.test.ts): each exits 7 with a one-line reason, writes no plan, leaves
// the pack's state as it was, and keeps of the repository's metadata exactly what the TUF specification says: each
// role that verified before the refusal, nothing unverified, nothing older (checkKept). Every attack starts from the
// same trusted state, timestamp v5 / snapshot v4 / targets v4 (the trust folder is put back before each).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeHome } from '../../../scripts/build-fixtures.mjs';
import { attackBench, TRUSTED_VERSIONS } from '../../helpers/tuf-attacks.js';
import { checkKept, copyRepo, restoreTrust, trustFiles } from '../../helpers/tuf-evil.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-trust-attacks-');
const { fx, next, attacks } = await attackBench(dir);
const home = writeHome(join(dir, 'home'), { customize: true });
const init = await runCli(['init', '--home', home, '--repo', fx.repo, '--trust-root', fx.root]);
assert.is(init.code, 0, init.stderr);
const trust = join(home, 'updates/wso2update/trust');
const trusted = trustFiles(trust);

let n = 0;
for (const { name, mutate, reason, fromTrusted, keeps } of attacks) {
  test(`refused with exit 7, a one-line reason, only verified metadata kept: ${name}`, async () => {
    const evil = copyRepo(fromTrusted ? fx.repo : next, join(dir, `evil-${n++}`));
    await mutate(evil);
    // Blobs a refused plan had already verified stay in the pack's cache (and would be used instead of the
    // repository's copy): empty it so every attack meets the repository's bytes.
    rmSync(join(home, 'updates/wso2update/cache'), { recursive: true, force: true });
    restoreTrust(trust, trusted);
    const state = readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8');
    const out = join(dir, `plan-${n}.json`);
    const r = await runCli(['plan', '--home', home, '--repo', evil, '--out', out]);
    assert.is(r.code, 7, `${name}: exit ${r.code}\n${r.stderr}`);
    const first = r.stderr.split('\n')[0];
    assert.match(first, /^Error: /);
    assert.match(first.slice('Error: '.length), reason, `${name}: ${first}`);
    checkKept(trust, trusted, keeps ?? TRUSTED_VERSIONS, name);
    assert.is(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'), state);
    assert.not.ok(existsSync(out), `${name}: a plan was written`);
  });
}

test('after all that, the publisher\'s real next state is accepted and becomes the trusted state', async () => {
  restoreTrust(trust, trusted);
  const r = await runCli(['plan', '--home', home, '--repo', next, '--out', join(dir, 'plan-next.json')]);
  assert.is(r.code, 3, r.stderr); // the fixtures' plan holds conflicts
  const ts = JSON.parse(readFileSync(join(trust, 'timestamp.json'), 'utf8'));
  assert.is(ts.signed.version, 6);
  assert.is(JSON.parse(readFileSync(join(trust, 'targets.json'), 'utf8')).signed.version, 5);
  checkKept(trust, trusted, [6, 5, 5], 'the next state');
  const again = await runCli(['check', '--home', home, '--repo', fx.repo]);
  assert.is(again.code, 7, 'the older repository is now a rollback');
  assert.match(again.stderr, /rollback refused/);
});

test.run();
