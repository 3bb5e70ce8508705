// Every attack of issue 10 over HTTP: the tampered copies of test/helpers/tuf-attacks.ts, each in its own folder,
// served on 127.0.0.1 by `wso2update serve` and by nginx. A pack adopted over HTTP (root pinned) runs
// `apply --repo URL --yes` against each, from the same trusted state every time: exit 7, a one-line reason, the pack
// (state, files) byte for byte as it was, and of the repository's metadata exactly what the TUF specification keeps
// (each role that verified before the refusal; nothing unverified or older: checkKept). Then the publisher's real
// next state is applied and becomes the trusted state.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeHome } from '../../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../../src/core/canonical.js';
import { snapshot, snapshotDiff } from '../../helpers/pack.js';
import { serveCli, startNginx, type TestServer } from '../../helpers/servers.js';
import { attackBench, TRUSTED_VERSIONS } from '../../helpers/tuf-attacks.js';
import { checkKept, copyRepo, restoreTrust, trustFiles } from '../../helpers/tuf-evil.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-http-attacks-');
const { fx, next, attacks } = await attackBench(dir);
const served = join(dir, 'served');
mkdirSync(served);
copyRepo(fx.repo, join(served, 'good'));
copyRepo(next, join(served, 'next'));
for (const [i, a] of attacks.entries()) await a.mutate(copyRepo(a.fromTrusted ? fx.repo : next, join(served, `evil-${i}`)));

// Byte for byte: everything in the pack, the tool's state included, except what a refused run is meant to leave: its
// line in the tool's log, verified TUF metadata (checkKept), and blobs it fetched and verified before the refusal
// (kept in the content-addressed cache so the next run fetches nothing twice; each is checked to hash to its name).
const kept = (rel: string) => rel.startsWith('updates/wso2update/cache/') || rel.startsWith('updates/logs/') || rel.startsWith('updates/wso2update/trust/');
const cached = (home: string): Array<[string, Buffer]> => {
  const dir = join(home, 'updates/wso2update/cache');
  return existsSync(dir) ? readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n)).map((n) => [n, readFileSync(join(dir, n))]) : [];
};

const servers: Array<[string, () => Promise<TestServer>]> = [
  ['serve', () => serveCli(served)],
  ['nginx', () => startNginx(served)],
];

for (const [kind, start] of servers) {
  let server: TestServer;
  let home: string;
  let trust: string;
  let trusted: Map<string, Buffer>;

  test(`${kind}: a pack adopted over HTTP with its root pinned`, async () => {
    server = await start();
    home = writeHome(join(dir, `home-${kind}`));
    const init = await runCli(['init', '--home', home, '--repo', `${server.url}/good`, '--trust-root', fx.root]);
    assert.is(init.code, 0, init.stderr);
    trust = join(home, 'updates/wso2update/trust');
    trusted = trustFiles(trust);
    assert.is(JSON.parse(readFileSync(join(trust, 'timestamp.json'), 'utf8')).signed.version, 5);
  });

  for (const [i, { name, reason, httpReason, keeps }] of attacks.entries()) {
    test(`${kind}: refused with exit 7, a one-line reason, the pack unchanged, only verified metadata kept: ${name}`, async () => {
      // Blobs a refused run had verified stay in the pack's cache and would be used instead of the server's copy.
      rmSync(join(home, 'updates/wso2update/cache'), { recursive: true, force: true });
      restoreTrust(trust, trusted);
      const before = snapshot(home, kept);
      const r = await runCli(['apply', '--home', home, '--repo', `${server.url}/evil-${i}`, '--yes']);
      assert.is(r.code, 7, `${kind} ${name}: exit ${r.code}\n${r.stderr}`);
      // apply prints the plan it made before it fails: the reason is the one line that starts with "Error: ".
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('Error: '));
      assert.is(errors.length, 1, r.stderr);
      assert.match(errors[0].slice('Error: '.length), httpReason ?? reason, `${kind} ${name}: ${errors[0]}`);
      checkKept(trust, trusted, keeps ?? TRUSTED_VERSIONS, `${kind} ${name}`);
      assert.equal(snapshotDiff(before, snapshot(home, kept)), [], `${kind} ${name}: the pack changed`);
      for (const [sha, bytes] of cached(home)) assert.is(sha256Hex(bytes), sha, `${kind} ${name}: an unverified blob was kept`);
    });
  }

  test(`${kind}: the publisher's real next state is applied and trusted; the older one is then a rollback`, async () => {
    try {
      restoreTrust(trust, trusted);
      const a = await runCli(['apply', '--home', home, '--repo', `${server.url}/next`, '--yes']);
      assert.is(a.code, 0, a.stderr);
      assert.is(JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level, 3);
      assert.is(JSON.parse(readFileSync(join(trust, 'timestamp.json'), 'utf8')).signed.version, 6);
      assert.is(JSON.parse(readFileSync(join(trust, 'targets.json'), 'utf8')).signed.version, 5);
      const old = await runCli(['check', '--home', home, '--repo', `${server.url}/good`]);
      assert.is(old.code, 7, old.stderr);
      assert.match(old.stderr.split('\n')[0], /^Error: rollback refused/);
      assert.ok(existsSync(join(home, 'updates/wso2update/state.json')));
    } finally {
      await server.stop();
    }
  });
}

test.run();
