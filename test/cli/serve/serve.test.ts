// `wso2update serve` as a real process: prints its URL, serves the repository, stops cleanly on SIGTERM (exit 0),
// refuses a missing folder, a bad port and a port in use with a clear error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveCli } from '../../helpers/servers.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

test('serves the folder, stops on SIGTERM with exit 0', async () => {
  const dir = tmpDir('wso2update-serve-');
  mkdirSync(join(dir, 'products'));
  writeFileSync(join(dir, 'index.json'), '{}\n');
  const s = await serveCli(dir);
  assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.is(await (await fetch(`${s.url}/index.json`)).text(), '{}\n');
  assert.is((await fetch(`${s.url}/products`)).status, 404, 'no directory listings');
  assert.is((await fetch(`${s.url}/index.json`, { method: 'POST' })).status, 405);
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  await s.stop();
  assert.is(await exited, 0);
});

test('refuses a missing folder, a bad port, a port in use', async () => {
  const missing = await runCli(['serve', '--repo', join(tmpDir(), 'nope')]);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /does not exist/);
  const none = await runCli(['serve']);
  assert.is(none.code, 1);
  assert.match(none.stderr, /serve needs --repo/);
  const port = await runCli(['serve', '--repo', tmpDir(), '--port', '70000']);
  assert.is(port.code, 1);
  assert.match(port.stderr, /--port must be a port number/);
  const s = await serveCli(tmpDir());
  try {
    const busy = await runCli(['serve', '--repo', tmpDir(), '--port', new URL(s.url).port]);
    assert.is(busy.code, 1);
    assert.match(busy.stderr, /cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
  } finally {
    await s.stop();
  }
});

test.run();
