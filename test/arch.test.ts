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

// The allowed import directions, written down once: a folder may import itself and the folders listed. Lower folders
// never import higher ones: core (pure) <- io (fs, process and file-format adapters) <- channel (the client side of a
// repository) <- publish (the vendor side), plan (use cases that make plans), selfupdate <- apply (the one executor)
// <- cli (the shell, which alone touches process); ui (rendering) sees only core.
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  io: ['io', 'core'],
  channel: ['channel', 'io', 'core'],
  publish: ['publish', 'channel', 'io', 'core'],
  plan: ['plan', 'channel', 'io', 'core'],
  selfupdate: ['selfupdate', 'channel', 'io', 'core'],
  apply: ['apply', 'plan', 'channel', 'io', 'core'],
  ui: ['ui', 'core'],
  cli: ['cli', 'apply', 'plan', 'publish', 'selfupdate', 'channel', 'io', 'ui', 'core'],
};

test('every folder of src/ is a known layer', () => {
  for (const name of readdirSync(SRC)) assert.ok(name in ALLOWED, `src/${name} is not in ALLOWED: add it with its import directions`);
});

test('imports flow one way (the ALLOWED table above)', () => {
  for (const layer of Object.keys(ALLOWED)) {
    for (const f of files(join(SRC, layer))) {
      for (const spec of imports(f)) {
        const target = layerOf(spec, f);
        if (target !== null) assert.ok(ALLOWED[layer].includes(target), `${f} imports ${spec} (${layer} -> ${target})`);
      }
    }
  }
});

// A cycle between modules, even through type-only imports, says a type or constant lives in the wrong module.
// Lazy `import()` of the command table and of help (cli/spec.ts <-> cli/usage.ts) load on demand, not at start,
// and are the only ones let through: they are listed here by file so that a new one is a decision, not an accident.
const LAZY_OK = new Set<string>(['cli/spec.ts -> cli/commands/help.ts']);
test('no import cycles between modules, type-only imports included', () => {
  const edges = new Map<string, string[]>();
  for (const f of files(SRC)) {
    edges.set(f, imports(f).filter((s) => s.startsWith('.')).map((s) => join(f, '..', s).replace(/\.js$/, '.ts')).filter((t) => !LAZY_OK.has(`${f.slice(SRC.length)} -> ${t.slice(SRC.length)}`)));
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of edges.get(f) ?? []) {
      if (!edges.has(t)) continue;
      if (state.get(t) === 'open') assert.unreachable(`import cycle: ${[...stack.slice(stack.indexOf(t)), t].map((x) => x.slice(SRC.length)).join(' -> ')}`);
      if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of edges.keys()) if (!state.has(f)) visit(f);
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

// The two entry points touch process: cli/ (the shell) and selfupdate/launcher.ts, the single executable's main
// script, which runs before any of cli/ is loaded (it picks the code bundle that holds cli/).
const ENTRY_POINTS = new Set(['selfupdate/launcher.ts']);
test('only cli (and the executable\'s launcher) touches process (any use of it); only ui writes to the terminal', () => {
  for (const layer of Object.keys(ALLOWED).filter((l) => l !== 'cli')) {
    for (const f of files(join(SRC, layer)).filter((x) => !ENTRY_POINTS.has(x.slice(SRC.length)))) {
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
// The HTTP and bundle transports may sync the handle they write a fetched blob through: that one has write access.
test('every fsync of a file goes through io/atomic.ts (fsyncFile, fsyncDir), never a handle opened here', () => {
  const allowed = new Set(['io/atomic.ts', 'channel/http/transport.ts', 'channel/bundle/transport.ts']);
  for (const f of files(SRC)) {
    const rel = f.slice(SRC.length);
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    if (!allowed.has(rel)) assert.not.ok(/\.(sync|datasync)\(\)|fsyncSync|fdatasync/.test(text), `${rel} fsyncs a handle itself: call fsyncFile from io/atomic.ts`);
  }
});

test.run();
