// The executable against two things a pack meets outside the lab (issue 18/20 review): a channel on a static host that
// answers 403 for a file it does not have (an S3 bucket without list permission; the TUF client asks for the next
// root, N+1.root.json, on every refresh), and a pinned root damaged on this machine (check, create-update).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { startFaultServer, type TestServer } from '../../helpers/servers.js';
import type { SignedFixtures } from '../../helpers/tuf-attacks.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-review-trust-');
const fx = buildFixtures(join(dir, 'fx')) as SignedFixtures;
const home = writeHome(join(dir, 'home'));
const trust = join(home, 'updates/wso2update/trust');
/** A missing metadata file is forbidden (403), as S3 answers; every other missing file, 404. */
const forbidden: string[] = [];
const s3 = (path: string) => {
  if (!/\/metadata\//.test(path) || existsSync(join(fx.repo, path))) return undefined;
  forbidden.push(path);
  return { status: 403 };
};
let server: TestServer;

test('a channel that answers 403 for the next root: init and check go on (no newer root), as on a 404', async () => {
  server = await startFaultServer(fx.repo, { override: s3 });
  const init = await runCli(['init', '--home', home, '--repo', server.url, '--trust-root', fx.root]);
  assert.is(init.code, 0, init.stderr);
  const check = await runCli(['check', '--home', home]);
  assert.ok([0, 10].includes(check.code), `exit ${check.code}\n${check.stderr}`);
  assert.ok(forbidden.some((p) => /\/metadata\/\d+\.root\.json$/.test(p)), JSON.stringify(forbidden));
});

test('a 403 on the timestamp is the server\'s refusal (exit 1, naming the 403), not unsigned metadata (exit 7)', async () => {
  await server.stop();
  server = await startFaultServer(fx.repo, { override: (p) => (p.endsWith('/metadata/timestamp.json') ? { status: 403 } : s3(p)) });
  const check = await runCli(['check', '--home', home, '--repo', server.url]);
  assert.is(check.code, 1, check.stderr);
  assert.match(check.stderr.split('\n')[0], /^Error: the repository server forbids .*\/metadata\/timestamp\.json \(403\)/);
  assert.not.match(check.stderr, /did not sign|not signed/);
});

test('a pinned root torn on this machine: exit 1 naming the file, nothing fetched, then put back and used', async () => {
  const root = readFileSync(join(trust, 'root.json'));
  writeFileSync(join(trust, 'root.json'), root.subarray(0, root.length >> 1));
  const before = server.seen.length;
  const check = await runCli(['check', '--home', home, '--repo', server.url]);
  assert.is(check.code, 1, check.stderr);
  assert.ok(check.stderr.split('\n')[0].includes(`${join(trust, 'root.json')} is damaged`), check.stderr);
  assert.not.match(check.stderr, /did not sign|tell the publisher/i);
  assert.is(server.seen.length, before, 'nothing asked of the repository');
  // create-update verifies its source against the pack's pinned root: the same file, the same message.
  const bundle = await runCli(['create-update', '--home', home, '--repo', server.url, '--from', '0', '--to', '1', '--out', join(dir, 'b.tar')]);
  assert.is(bundle.code, 1, bundle.stderr);
  assert.ok(bundle.stderr.split('\n')[0].includes(`${join(trust, 'root.json')} is damaged`), bundle.stderr);
  assert.not.ok(existsSync(join(dir, 'b.tar')));
  writeFileSync(join(trust, 'root.json'), readFileSync(fx.root));
  await server.stop();
  server = await startFaultServer(fx.repo, { override: s3 });
  const again = await runCli(['check', '--home', home, '--repo', server.url]);
  assert.ok([0, 10].includes(again.code), `exit ${again.code}\n${again.stderr}`);
});

test.after(() => server?.stop()); // also when a case failed: a server left listening keeps the process alive

test.run();
