// The test runner itself: a line per file as it finishes (streamed, not held until the end: a file that waits is
// still running when the line of the one before it arrives), and the freshness rule that keeps the CLI tests from
// running a dist/ older than the sources.
// test-needs-checkout: it runs the test runner on files of its own, never the CLI
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { staleBuild } from '../../scripts/lib/build-freshness.mjs';
import { ROOT, tmpDir } from '../helpers/tmp.js';

const uvuSummary = "console.log('  Total:     1\\n  Passed:    1\\n  Skipped:   0');";

test('each file gets its line as it finishes, while the others still run', async () => {
  const dir = tmpDir('runner-');
  const marker = join(dir, 'hold');
  writeFileSync(marker, '');
  writeFileSync(join(dir, 'a-fast.test.ts'), `${uvuSummary}\n`);
  // Finishes only once the test has seen the fast file's line and removed the marker.
  writeFileSync(join(dir, 'b-slow.test.ts'), `import { existsSync } from 'node:fs';\nconst t = setInterval(() => { if (!existsSync(${JSON.stringify(marker)})) { clearInterval(t); ${uvuSummary} } }, 20);\n`);
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-tests.mjs'), '--dir', dir, '--no-build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TEST_JOBS: '2' } });
  let out = '';
  let fastSeenWhileSlowHeld = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (/ok\s+\S*a-fast\.test\.ts: 1\/1/.test(out) && existsSync(marker)) {
      fastSeenWhileSlowHeld = true;
      rmSync(marker);
    }
  });
  child.stderr.resume();
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.ok(fastSeenWhileSlowHeld, `the fast file's line came only at the end:\n${out}`);
  assert.is(code, 0, out);
  assert.match(out, /Running 2 test files/);
  assert.match(out, /ok\s+\S*b-slow\.test\.ts: 1\/1/);
  assert.match(out, /\n2 passed, 0 failed\n/);
});

test('skipped tests neither hide a failure nor count as negative failures (uvu leaves them out of Total)', async () => {
  const dir = tmpDir('runner-skip-');
  // Real uvu (by its path: the files are outside the checkout), so the test follows what its summary really says.
  const uvu = JSON.stringify(join(ROOT, 'node_modules', 'uvu', 'dist', 'index.mjs'));
  const file = (name: string, body: string) => writeFileSync(join(dir, name), `import { test } from ${uvu};\n${body}\ntest.run();\n`);
  file('a-fail-and-skip.test.ts', "test('fails', () => { throw new Error('boom'); });\ntest.skip('skipped', () => {});");
  file('b-pass-and-skips.test.ts', "test('passes', () => {});\ntest.skip('s1', () => {});\ntest.skip('s2', () => {});");
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-tests.mjs'), '--dir', dir, '--no-build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TEST_JOBS: '1' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.resume();
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.is(code, 1, out);
  assert.match(out, /\n1 passed, 1 failed, 3 skipped\n/, out);
});

test('dist/ is stale when an output is missing or any source (or tsconfig, the bundler) is newer than the build', () => {
  const root = tmpDir('freshness-');
  const file = (rel: string, at: number) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), '');
    utimesSync(join(root, rel), at, at);
  };
  file('src/cli/main.ts', 1000);
  file('src/core/deep/x.ts', 1000);
  file('tsconfig.json', 1000);
  file('dist/cli/main.js', 2000);
  assert.match(String(staleBuild(root)), /dist\/bundle\/wso2update\.cjs missing/);
  file('dist/bundle/wso2update.cjs', 2001);
  assert.is(staleBuild(root), null);
  file('src/core/deep/x.ts', 2000.5); // newer than tsc's output, older than the bundle: still stale
  assert.match(String(staleBuild(root)), /src\/core\/deep\/x\.ts is newer than the build/);
  file('src/core/deep/x.ts', 1000);
  file('tsconfig.json', 3000);
  assert.match(String(staleBuild(root)), /tsconfig\.json is newer/);
});

test('the real checkout: the runner that started this file left dist/ current', () => {
  assert.is(staleBuild(ROOT), null);
});

test('the executable pass: files that run the CLI run again with WSO2UPDATE_TEST_EXE, unless they say why not; one combined count', async () => {
  const dir = tmpDir('runner-exe-');
  // Passes only when each pass gets what it should: the checkout pass no executable, the second pass this one.
  const check = (want: string) => `if ((process.env.WSO2UPDATE_TEST_EXE ?? '') !== ${want}) { console.error('got ' + process.env.WSO2UPDATE_TEST_EXE); process.exit(1); }\n`;
  writeFileSync(join(dir, 'a-cli.test.ts'), `// uses runCli\nconst exe = process.env.WSO2UPDATE_TEST_EXE;\nif (exe && (exe !== '/opt/fake/wso2update_linux' || process.env.WSO2UPDATE_NO_SELF_UPDATE !== '1')) process.exit(1);\n${uvuSummary}\n`);
  writeFileSync(join(dir, 'b-checkout.test.ts'), `// test-needs-checkout: it drives node itself\n// uses runCli\n${check("''")}${uvuSummary}\n`);
  writeFileSync(join(dir, 'c-core.test.ts'), `${check("''")}${uvuSummary}\n`);
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-tests.mjs'), '--dir', dir, '--no-build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TEST_JOBS: '2', WSO2UPDATE_TEST_EXE: '/opt/fake/wso2update_linux' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.resume();
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.is(code, 0, out);
  assert.match(out, /Running 3 test files, and 1 of them again against \/opt\/fake\/wso2update_linux/);
  assert.match(out, /ok\s+\S*a-cli\.test\.ts \[exe\]: 1\/1/);
  assert.not.match(out, /b-checkout\.test\.ts \[exe\]|c-core\.test\.ts \[exe\]/);
  assert.match(out, /\n4 passed, 0 failed\n/);
  // A marker without a reason is no marker: the file runs in both passes.
  writeFileSync(join(dir, 'b-checkout.test.ts'), `// test-needs-checkout:\n// uses runCli\n${uvuSummary}\n`);
  const again = spawn(process.execPath, [join(ROOT, 'scripts', 'run-tests.mjs'), '--dir', dir, '--no-build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, WSO2UPDATE_TEST_EXE: '/opt/fake/wso2update_linux' } });
  let out2 = '';
  again.stdout.setEncoding('utf8').on('data', (d: string) => (out2 += d));
  await new Promise((done) => again.on('close', done));
  assert.match(out2, /b-checkout\.test\.ts \[exe\]/);
});

test.run();
