// ui/install.ts: where the executable went and how to run it, WSO2's kept tool and the command that puts it back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderInstalled } from '../../src/ui/install.js';

const r = { dest: '/opt/p/bin/wso2update_linux', bin: '/opt/p/bin', name: 'wso2update_linux', sha256: 'ab'.repeat(32), size: 83_886_080, kept: null };

test('installed: size in MB, the start of the sha256, and the command that runs it', () => {
  assert.equal(renderInstalled(r, false), {
    stdout: '',
    stderr: `Installed /opt/p/bin/wso2update_linux (80.0 MB, sha256 ${'ab'.repeat(8)}...); run it from there: cd /opt/p/bin && ./wso2update_linux --help\n`,
  });
});

test('WSO2\'s tool kept: a second line with the mv that puts it back', () => {
  const out = renderInstalled({ ...r, kept: '/opt/p/bin/wso2update_linux.wso2' }, false).stderr.split('\n');
  assert.is(out[1], "WSO2's own update tool that was there is kept as /opt/p/bin/wso2update_linux.wso2; to put it back: mv /opt/p/bin/wso2update_linux.wso2 /opt/p/bin/wso2update_linux");
  assert.is(out.length, 3);
});

test('--json: the result on stdout, the same lines on stderr', () => {
  const out = renderInstalled({ ...r, kept: '/k' }, true);
  assert.equal(JSON.parse(out.stdout), { installed: r.dest, sha256: r.sha256, size: r.size, keptWso2Tool: '/k' });
  assert.equal(JSON.parse(renderInstalled(r, true).stdout).keptWso2Tool, null);
  assert.match(out.stderr, /^Installed /);
});

test.run();
