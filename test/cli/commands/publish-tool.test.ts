// cli/commands/publish-tool in process: a tool release into a signed channel (made here with keygen and publish),
// re-signed so every file is a TUF target; refused into an unsigned channel and with a version that is no version.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run as keygen } from '../../../src/cli/commands/keygen.js';
import { run as publish } from '../../../src/cli/commands/publish.js';
import { run as publishTool } from '../../../src/cli/commands/publish-tool.js';
import { LEVEL0, PRODUCT, writeTree } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';
import { builtRelease } from '../../helpers/tool-release.js';
import { tmpDir } from '../../helpers/tmp.js';

async function signedChannel(): Promise<string> {
  const cwd = tmpDir();
  writeTree(join(cwd, 'tree'), LEVEL0);
  assert.is(await keygen(cliContext(cwd), [], { keys: 'keys' }), 0);
  assert.is(await publish(cliContext(cwd), [], { repo: 'repo', product: PRODUCT, level: '0', tree: 'tree', keys: 'keys' }), 0);
  return cwd;
}

test('published as signed targets: the files under tools/<version>/, the list, and targets.json naming them', async () => {
  const cwd = await signedChannel();
  const from = builtRelease('0.2.0');
  const ctx = cliContext(cwd);
  assert.is(await publishTool(ctx, [], { repo: 'repo', keys: 'keys', releaseVersion: '0.2.0', from }), 0);
  assert.ok(existsSync(join(cwd, 'repo/tools/0.2.0/wso2update_linux')));
  // Consistent snapshots: the newest targets role is <version>.targets.json; publish-tool made version 2.
  const newest = readdirSync(join(cwd, 'repo/metadata')).filter((n) => /^\d+\.targets\.json$/.test(n)).sort((a, b) => parseInt(b, 10) - parseInt(a, 10))[0];
  assert.is(newest, '2.targets.json');
  const targets = readFileSync(join(cwd, 'repo/metadata', newest), 'utf8');
  assert.match(targets, 'tools/0.2.0/wso2update_linux');
  assert.match(targets, 'tools/releases.json');
});

test('refusals: options missing, a version that is no version, an unsigned channel', async () => {
  const cwd = tmpDir();
  assert.match((await thrown(() => publishTool(cliContext(cwd), [], { repo: 'repo' }), 'usage')).message, 'publish-tool needs --repo DIR, --keys DIR, --release-version V and --from DIR');
  assert.match((await thrown(() => publishTool(cliContext(cwd), [], { repo: 'r', keys: 'k', releaseVersion: 'v1', from: 'f' }), 'usage')).message, '--release-version must be a version such as 0.2.0, got "v1"');
  writeTree(join(cwd, 'tree'), LEVEL0);
  await publish(cliContext(cwd), [], { repo: 'repo', product: PRODUCT, level: '0', tree: 'tree' });
  const e = await thrown(() => publishTool(cliContext(cwd), [], { repo: 'repo', keys: 'k', releaseVersion: '0.2.0', from: builtRelease('0.2.0') }), 'usage');
  assert.match(e.message, 'is not a signed channel (no metadata/root.json)');
  assert.not.ok(existsSync(join(cwd, 'repo/tools')));
});

test.run();
