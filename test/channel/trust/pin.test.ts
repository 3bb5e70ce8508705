// channel/trust/pin: which root a pack pins at init (a file, the sha256 of the channel's first root, or none when
// unsigned is accepted), and each refusal: contradictions, a wrong sha256, a signed channel without a pin, an unsigned
// channel without --allow-unsigned (worded for the commands that never take one).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pinTrust, rootToPin, unpin } from '../../../src/channel/trust/pin.js';
import { run as keygen } from '../../../src/cli/commands/keygen.js';
import { run as publish } from '../../../src/cli/commands/publish.js';
import { sha256Hex } from '../../../src/core/canonical.js';
import { openPack } from '../../../src/io/pack.js';
import { LEVEL0, makeFixture, PRODUCT, writeTree } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';
import { tmpDir } from '../../helpers/tmp.js';

async function signedRepo(): Promise<string> {
  const cwd = tmpDir();
  writeTree(join(cwd, 'tree'), LEVEL0);
  await keygen(cliContext(cwd), [], { keys: 'keys' });
  await publish(cliContext(cwd), [], { repo: 'repo', product: PRODUCT, level: '0', tree: 'tree', keys: 'keys' });
  return join(cwd, 'repo');
}

test('a signed channel: pinned by the sha256 of its first root, or by the root file; unpin removes it', async () => {
  const repo = await signedRepo();
  const first = readFileSync(join(repo, 'metadata/1.root.json'));
  assert.equal(await rootToPin(repo, { rootSha256: sha256Hex(first), allowUnsigned: false }), first);
  assert.equal(await rootToPin(repo, { rootFile: join(repo, 'metadata/1.root.json'), allowUnsigned: false }), first);
  const f = await makeFixture();
  const pack = openPack(f.home);
  assert.is(await pinTrust(pack, repo, { rootSha256: sha256Hex(first), allowUnsigned: false }), pack.paths.trust);
  assert.ok(readdirSync(pack.paths.trust).includes('root.json'));
  await unpin(pack);
  assert.not.ok(existsSync(pack.paths.trust));
});

test('refusals: both pins, a pin with --allow-unsigned, a wrong sha256, a signed channel unpinned, a root file missing', async () => {
  const repo = await signedRepo();
  assert.match((await thrown(() => rootToPin(repo, { rootFile: 'a', rootSha256: 'b', allowUnsigned: false }), 'usage')).message, 'give either --trust-root or --trust-root-sha256, not both');
  assert.match((await thrown(() => rootToPin(repo, { rootFile: 'a', allowUnsigned: true }), 'usage')).message, '--allow-unsigned contradicts');
  assert.match((await thrown(() => rootToPin(repo, { rootSha256: 'f'.repeat(64), allowUnsigned: false }), 'verification')).message, `not the ${'f'.repeat(64)} given`);
  assert.match((await thrown(() => rootToPin(repo, { allowUnsigned: false }), 'usage')).message, 'is a signed repository: pin its root');
  assert.match((await thrown(() => rootToPin(repo, { rootFile: '/nonexistent/root.json', allowUnsigned: false }), 'not-found')).message, 'cannot read the trust root');
});

test('an unsigned channel: accepted (null) only with --allow-unsigned; the refusal offers it only where the command takes it', async () => {
  const f = await makeFixture();
  assert.is(await rootToPin(f.repo, { allowUnsigned: true }), null);
  const e = await thrown(() => rootToPin(f.repo, { allowUnsigned: false }), 'verification');
  assert.match(e.message, 'is not signed (no metadata/timestamp.json)');
  assert.match(e.hint ?? '', '--allow-unsigned');
  const never = await thrown(() => rootToPin(f.repo, { rootSha256: 'a'.repeat(64), allowUnsigned: false, neverUnsigned: true }), 'verification');
  assert.match(never.message, 'is not signed: it has no metadata/1.root.json');
  assert.not.match(never.hint ?? '', '--allow-unsigned');
});

test.run();
