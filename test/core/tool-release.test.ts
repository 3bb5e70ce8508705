// The pure choices of self-update: which release a running tool takes (never one at or below its version), whether
// the code bundle alone will do, and how the launcher reads and prefers a code bundle.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codeHeaderLine, LAUNCHER_ABI, parseCodeBundle, preferBeside, runtimeId, type CodeHeader } from '../../src/core/code-bundle.js';
import { chooseUpdate, toolTargets, type ToolRelease, type ToolReleases } from '../../src/core/tool-release.js';
import { compareVersions } from '../../src/core/version.js';

const H = 'a'.repeat(64);
const rel = (version: string, runtime: string, platforms: string[]): ToolRelease => ({
  version, runtime, files: Object.fromEntries(platforms.map((p) => [p === 'code' ? 'wso2update.code' : `wso2update_${p.replace('-', '_')}`, { platform: p, sha256: H, size: 10 }])),
});
const list = (...releases: ToolRelease[]): ToolReleases => ({ formatVersion: 1, releases });
const running = { version: '0.2.0', runtime: runtimeId('v20.20.2'), platform: 'linux-x64' };

test('compareVersions orders dotted numbers as numbers', () => {
  for (const [a, b, want] of [['0.1.10', '0.1.9', 1], ['1.0', '1.0.0', 0], ['0.2.0', '0.10.0', -1], ['2.0.0', '1.99.99', 1]] as const) {
    assert.is(compareVersions(a, b), want, `${a} vs ${b}`);
  }
});

test('chooseUpdate: nothing at or below the running version; the code bundle for the same runtime, else the executable', () => {
  const same = running.runtime;
  const cases: Array<[string, ToolReleases, string | null]> = [
    ['none', list(), null],
    ['older only', list(rel('0.1.0', same, ['code', 'linux-x64'])), null],
    ['equal', list(rel('0.2.0', same, ['code', 'linux-x64'])), null],
    ['newer, same runtime', list(rel('0.1.0', same, ['code']), rel('0.3.0', same, ['code', 'linux-x64'])), 'code 0.3.0'],
    ['newer, new runtime', list(rel('0.3.0', 'node22.0.0-abi1', ['code', 'linux-x64'])), 'executable 0.3.0'],
    ['the newest wins, listed in any order', list(rel('0.4.0', same, ['code']), rel('0.3.0', same, ['code'])), 'code 0.4.0'],
  ];
  for (const [name, r, want] of cases) {
    const got = chooseUpdate(r, running);
    assert.is(got === null ? null : typeof got === 'string' ? got : `${got.kind} ${got.release.version}`, want, name);
  }
  const none = chooseUpdate(list(rel('0.3.0', 'node22.0.0-abi1', ['code', 'darwin-x64'])), running);
  assert.match(none as string, /no executable for linux-x64 and its code bundle needs runtime node22\.0\.0-abi1/);
});

test('toolTargets names every release file under tools/<version>/', () => {
  assert.equal(toolTargets(list(rel('0.3.0', 'x', ['code', 'linux-x64']))).map((t) => t.path), ['tools/0.3.0/wso2update.code', 'tools/0.3.0/wso2update_linux_x64']);
});

test('code bundles: the header round-trips; the launcher prefers only a newer bundle of its own ABI', () => {
  const body = Buffer.from('exports.main = async () => 0;\n');
  const parsed = parseCodeBundle(Buffer.concat([Buffer.from(codeHeaderLine('0.3.0', H)), body])) as CodeHeader;
  assert.equal([parsed.version, parsed.abi, parsed.sha256, parsed.body.toString()], ['0.3.0', LAUNCHER_ABI, H, body.toString()]);
  assert.type(parseCodeBundle(body), 'string');
  const h = (version: string, abi = LAUNCHER_ABI): CodeHeader => ({ version, abi, sha256: H, body });
  assert.ok(preferBeside(h('0.3.0'), h('0.2.0')));
  assert.not.ok(preferBeside(h('0.2.0'), h('0.2.0')));
  assert.not.ok(preferBeside(h('0.1.0'), h('0.2.0')));
  assert.not.ok(preferBeside(h('0.3.0', LAUNCHER_ABI + 1), h('0.2.0')));
});

test.run();
