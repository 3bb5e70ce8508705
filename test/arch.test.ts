// Keeps the architecture of STYLE.md true: core is pure, ui decides nothing, imports flow one way.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n;]*?from\s+['"]([^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
}

const layerOf = (spec: string, file: string): string | null => {
  if (!spec.startsWith('.')) return null;
  const abs = join(file, '..', spec);
  const rel = abs.slice(SRC.length);
  return rel.split('/')[0];
};

const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  io: ['io', 'core'],
  ui: ['ui', 'core'],
  apply: ['apply', 'io', 'core'],
  cli: ['cli', 'apply', 'io', 'ui', 'core'],
};

test('imports flow one way: cli -> apply, io, ui, core; apply -> io, core; io -> core; ui -> core', () => {
  for (const layer of Object.keys(ALLOWED)) {
    for (const f of files(join(SRC, layer))) {
      for (const spec of imports(f)) {
        const target = layerOf(spec, f);
        if (target !== null) assert.ok(ALLOWED[layer].includes(target), `${f} imports ${spec} (${layer} -> ${target})`);
      }
    }
  }
});

test('src/core has no I/O, network, process, clock or randomness', () => {
  const banned = /^(node:)?(fs|fs\/promises|net|http|https|http2|dgram|dns|child_process|worker_threads|os|process|readline|tty|cluster|undici|tar)$/;
  for (const f of files(join(SRC, 'core'))) {
    for (const spec of imports(f)) assert.not.ok(banned.test(spec), `${f} imports ${spec}`);
    const text = readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '');
    for (const word of ['process.', 'Date.now', 'new Date(', 'Math.random', 'randomUUID', 'randomBytes', 'performance.now', 'setTimeout']) {
      assert.not.ok(text.includes(word), `${f} uses ${word}`);
    }
  }
});

test('only cli touches process (any use of it); only ui writes to the terminal', () => {
  for (const layer of ['core', 'io', 'apply', 'ui']) {
    for (const f of files(join(SRC, layer))) {
      // Comments may name process (saying who owns it); code may not. Block comments first, then line comments.
      const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      assert.not.ok(/\bprocess\./.test(text), `${f} touches process`);
      if (layer !== 'ui') assert.not.ok(/console\.(log|error|warn|info)|process\.std(out|err)\.write/.test(text), `${f} writes to the terminal`);
    }
  }
});

test('ui decides nothing: it imports no planner, merge or apply logic', () => {
  for (const f of files(join(SRC, 'ui'))) {
    for (const spec of imports(f)) {
      assert.not.ok(/(planner|decide|merge3?|apply|journal)(\.js)?$/.test(spec), `${f} imports ${spec}`);
    }
  }
});

// Windows flushes only through a handle with write access (issue 18: every apply rolled back under Wine with EPERM
// from fsync on a handle opened 'r'), so opening a file and fsyncing it is one rule, in io/atomic.ts's fsyncFile.
// The HTTP transport may sync the handle it writes a download through: that one has write access.
test('every fsync of a file goes through io/atomic.ts (fsyncFile, fsyncDir), never a handle opened here', () => {
  const allowed = new Set(['io/atomic.ts', 'io/http/transport.ts']);
  for (const f of files(SRC)) {
    const rel = f.slice(SRC.length);
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    if (!allowed.has(rel)) assert.not.ok(/\.(sync|datasync)\(\)|fsyncSync|fdatasync/.test(text), `${rel} fsyncs a handle itself: call fsyncFile from io/atomic.ts`);
  }
});

test.run();
