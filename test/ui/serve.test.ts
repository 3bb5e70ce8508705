// ui/serve.ts: the URL alone on stdout for scripts; the note when listening beyond this machine.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderServing } from '../../src/ui/serve.js';

test('loopback: URL on stdout, what is served and how to stop on stderr', () => {
  assert.equal(renderServing('/srv/r', 'http://127.0.0.1:41234', true), { stdout: 'http://127.0.0.1:41234\n', stderr: 'Serving /srv/r at http://127.0.0.1:41234 (Ctrl-C stops)\n' });
});

test('beyond this machine: the plain-http note follows', () => {
  assert.match(renderServing('/srv/r', 'http://0.0.0.0:8080', false).stderr, /\(Ctrl-C stops\)\nNote: listening beyond this machine; plain http is for trusted networks only \(clients need --allow-http\)\.\n$/);
});

test.run();
