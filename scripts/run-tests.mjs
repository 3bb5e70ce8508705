#!/usr/bin/env node
// Runs every test file in its own Node process (each file must run alone), two at a time, and ends with the
// line CI reads: `N passed, N failed`. uvu prints per-file totals only; this sums them. A file that crashes or
// exits non-zero without a uvu summary counts as one failure, so a broken file can never look like "0 failed".
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('dist/ is missing: run `npm install` (its prepare script builds) or `npm run build` first.');
  process.exit(1);
}

const files = find(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function runOne(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      const text = strip(out);
      const total = /Total:\s+(\d+)/.exec(text);
      const pass = /Passed:\s+(\d+)/.exec(text);
      const skip = /Skipped:\s+(\d+)/.exec(text);
      const name = relative(root, file);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (!total || !pass) {
        failed += 1;
        failures.push({ name, text: text || `exited ${code ?? signal} with no output` });
        console.log(`FAIL ${name} (no uvu summary; exit ${code ?? signal}) ${secs}s`);
      } else {
        const t = Number(total[1]);
        const p = Number(pass[1]);
        const s = skip ? Number(skip[1]) : 0;
        const f = t - p - s + (code !== 0 && t === p + s ? 1 : 0);
        passed += p;
        skipped += s;
        failed += f;
        if (f > 0) failures.push({ name, text });
        console.log(`${f > 0 ? 'FAIL' : 'ok  '} ${name}: ${p}/${t} ${secs}s`);
      }
      resolve();
    });
  });
}

const queue = [...files];
const workers = Array.from({ length: Number(process.env.TEST_JOBS ?? 2) }, async () => {
  while (queue.length) await runOne(queue.shift());
});
await Promise.all(workers);

for (const f of failures) {
  console.log(`\n===== ${f.name} =====\n${f.text.trim().split('\n').slice(-80).join('\n')}`);
}
console.log(`\n${files.length} test files`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
