// cli/commands/serve in process: the URL on stdout, the folder served on 127.0.0.1, stopped by the signal handler it
// registers (exit 0); its refusals. The real process with real signals: test/cli/serve/serve.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/serve.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';
import { tmpDir } from '../../helpers/tmp.js';

test('serves the folder on a free port, the URL on stdout; the signal stops it, exit 0, and the port is free again', async () => {
  const repo = tmpDir();
  writeFileSync(join(repo, 'index.json'), '{"ok":true}');
  let stop: ((s: NodeJS.Signals) => void) | null = null;
  const ctx = cliContext(repo, { onSignal: (h) => { stop = h; return () => { stop = null; }; } });
  const done = run(ctx, [], { repo: '.', port: '0' });
  for (let i = 0; i < 200 && !ctx.out().includes('http://'); i++) await new Promise((r) => setTimeout(r, 10));
  const url = /http:\/\/127\.0\.0\.1:\d+\/?/.exec(ctx.out())?.[0];
  assert.ok(url, ctx.out());
  const res = await fetch(new URL('index.json', url.endsWith('/') ? url : `${url}/`));
  assert.is(res.status, 200);
  assert.equal(await res.json(), { ok: true });
  assert.ok(stop, 'a signal handler was registered');
  (stop as unknown as (s: NodeJS.Signals) => void)('SIGTERM');
  assert.is(await done, 0);
  const after = await fetch(url).then(() => 'answered', () => 'refused');
  assert.is(after, 'refused', 'the server is closed');
});

test('refusals: no --repo, a missing folder, a bad port, a port in use', async () => {
  assert.match((await thrown(() => run(cliContext('/'), [], {}), 'usage')).message, 'serve needs --repo DIR');
  assert.match((await thrown(() => run(cliContext('/'), [], { repo: '/nonexistent-repo' }), 'not-found')).message, 'does not exist');
  for (const port of ['65536', '-1', 'http', '1.5']) {
    assert.match((await thrown(() => run(cliContext('/'), [], { repo: tmpDir(), port }), 'usage')).message, '--port must be a port number from 0 to 65535');
  }
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  const port = (busy.address() as { port: number }).port;
  try {
    const e = await thrown(() => run(cliContext('/'), [], { repo: tmpDir(), port: String(port) }), 'io');
    assert.match(e.message, `cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    assert.match(e.hint ?? '', '--port');
  } finally {
    busy.close();
  }
});

test.run();
