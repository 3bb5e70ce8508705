#!/usr/bin/env node
// Runs every test file in its own Node process (each file must run alone), two at a time, and ends with the
// line CI reads: `N passed, N failed`. uvu prints per-file totals only; this sums them. A file that crashes or
// exits non-zero without a uvu summary counts as one failure, so a broken file can never look like "0 failed".
// A line is printed as each file finishes (and a "still running" line when none has for a while), so a long file
// never looks like a hang. The CLI tests run dist/: it is rebuilt first whenever a source is newer than it.
// Then every file that runs the CLI runs again against the Linux single executable (scripts/lib/exe-pass.mjs), and
// the last line counts both passes.
//   node scripts/run-tests.mjs [SUBSTRING...] [--dir DIR] [--no-build] [--checkout-only | --exe-only]
//   (DIR: where the test files are, default test/; --no-build: skip the freshness check and the executable's build,
//   for files that need no dist/ (an executable named by WSO2UPDATE_TEST_EXE is still used); --checkout-only: no
//   executable pass; --exe-only: the executable pass alone)
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleBuild } from './lib/build-freshness.mjs';
import { buildExe, exePass } from './lib/exe-pass.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const dirAt = argv.indexOf('--dir');
const testDir = dirAt >= 0 ? resolve(argv[dirAt + 1]) : join(root, 'test');
const checkBuild = !argv.includes('--no-build');
const checkoutOnly = argv.includes('--checkout-only');
const exeOnly = argv.includes('--exe-only');
const filters = argv.filter((a, i) => !['--no-build', '--checkout-only', '--exe-only'].includes(a) && (dirAt < 0 || (i !== dirAt && i !== dirAt + 1)));

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

const stale = checkBuild ? staleBuild(root) : null;
if (stale !== null) {
  console.log(`Building dist/ first (${stale}): npm run build`);
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error(`npm run build failed (exit ${built.status ?? built.signal}): the CLI tests would run an old build, so none ran.`);
    process.exit(1);
  }
}

const files = find(testDir).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const exeFiles = checkoutOnly ? [] : files.filter((f) => exePass(readFileSync(f, 'utf8')));
let exe = process.env.WSO2UPDATE_TEST_EXE || null;
if (exeFiles.length > 0 && !exe && checkBuild) {
  console.log('Building the Linux executable for the executable pass (cached while src/ is unchanged)');
  try {
    const built = buildExe(root);
    exe = built.exe;
    process.on('exit', built.release);
  } catch (err) {
    console.error(`${err.message}\nThe executable pass could not run, so no test ran.`);
    process.exit(1);
  }
}
const runs = [...(exeOnly ? [] : files.map((file) => ({ file, exe: null }))), ...(exe ? exeFiles.map((file) => ({ file, exe })) : [])];
const jobs = Number(process.env.TEST_JOBS ?? 2);
console.log(`Running ${files.length} test file${files.length === 1 ? '' : 's'}${exe ? `, and ${exeFiles.length} of them again against ${exe}` : ''}, ${jobs} at a time; a line as each one finishes.`);
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

const running = new Map(); // file -> start time, for the "still running" line
let lastLine = Date.now();
const say = (line) => {
  lastLine = Date.now();
  console.log(line);
};
const QUIET_MS = 30_000;
const ticker = setInterval(() => {
  if (Date.now() - lastLine < QUIET_MS || running.size === 0) return;
  const now = Date.now();
  say(`  ... still running: ${[...running].map(([f, t]) => `${f} (${Math.round((now - t) / 1000)} s)`).join(', ')}`);
}, 1000);
ticker.unref();

/** The executable pass runs with self-update off: request counts stay as the tests expect (env -i runs keep theirs). */
const exeEnv = (exe) => (exe ? { WSO2UPDATE_TEST_EXE: exe, WSO2UPDATE_NO_SELF_UPDATE: '1' } : { WSO2UPDATE_TEST_EXE: '' });

function runOne({ file, exe }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const label = `${relative(root, file)}${exe ? ' [exe]' : ''}`;
    running.set(label, started);
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...exeEnv(exe) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      running.delete(label);
      const text = strip(out);
      const total = /Total:\s+(\d+)/.exec(text);
      const pass = /Passed:\s+(\d+)/.exec(text);
      const skip = /Skipped:\s+(\d+)/.exec(text);
      const name = label;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (!total || !pass) {
        failed += 1;
        failures.push({ name, text: text || `exited ${code ?? signal} with no output` });
        say(`FAIL ${name} (no uvu summary; exit ${code ?? signal}) ${secs}s`);
      } else {
        const t = Number(total[1]);
        const p = Number(pass[1]);
        const s = skip ? Number(skip[1]) : 0;
        // uvu's Total counts the tests that ran: skipped ones are outside it (Total 1, Passed 1, Skipped 2). Taking
        // the skips off again made a file with a failure and a skip count 0 failed, and two skips alone count -2.
        const f = t - p + (code !== 0 && t === p ? 1 : 0);
        passed += p;
        skipped += s;
        failed += f;
        if (f > 0) failures.push({ name, text });
        say(`${f > 0 ? 'FAIL' : 'ok  '} ${name}: ${p}/${t} ${secs}s`);
      }
      resolve();
    });
  });
}

const queue = [...runs];
const workers = Array.from({ length: jobs }, async () => {
  while (queue.length) await runOne(queue.shift());
});
await Promise.all(workers);

for (const f of failures) {
  console.log(`\n===== ${f.name} =====\n${f.text.trim().split('\n').slice(-80).join('\n')}`);
}
console.log(`\n${files.length} test files${exe ? ` (${exeFiles.length} run twice: checkout and executable)` : ''}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
