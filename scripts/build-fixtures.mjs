#!/usr/bin/env node
// Builds the sample fixtures: the pack trees of levels 0..3 from fixtures/sample/*.yaml, each level's notes, and a
// repository made with the real `wso2update publish` (so fixtures test what users run). Importable: tests and the
// demo call buildFixtures(outDir); run alone it writes fixtures/build/ (or --out DIR).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { applyChanges, levelZero, LEVELS, loadCustomizations, loadLevelSpec, loadPackSpec, updatesFiles, writeTree } from '../fixtures/lib/spec.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'wso2update.js');

/** Runs the real CLI and returns its result; throws (with its output) when the exit code is not one of `ok`. */
export function cli(args, { ok = [0], cwd = ROOT } = {}) {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.error) throw r.error;
  if (!ok.includes(r.status)) {
    throw new Error(`wso2update ${args.join(' ')} exited ${r.status ?? r.signal} (expected ${ok.join(' or ')})\n${r.stdout}${r.stderr}`);
  }
  return r;
}

/** The trees of every level, in memory: level 0 from pack.yaml, then each level's changes on the one before. */
export function levelTrees() {
  const pack = loadPackSpec();
  const { tree, runtime } = levelZero(pack);
  const levels = [{ level: 0, tree, notes: pack.notes }];
  for (const n of LEVELS) {
    const spec = loadLevelSpec(n);
    if (spec.level !== n) throw new Error(`fixtures/sample/levels/level-${n}.yaml says level ${spec.level}`);
    levels.push({ level: n, tree: applyChanges(levels.at(-1).tree, spec.changes), notes: spec.notes });
  }
  return { product: pack.product, runtime, levels };
}

/**
 * Writes a product home: the pack at `level`, WSO2's updates/ files, runtime data, and (with `customize`) the
 * operator's edits of fixtures/sample/customizations.yaml. `dest` must not exist yet.
 */
export function writeHome(dest, { level = 0, customize = false } = {}) {
  if (existsSync(dest)) throw new Error(`${dest} already exists`);
  const { product, runtime, levels } = levelTrees();
  let tree = levels[level].tree;
  if (customize) tree = applyChanges(tree, loadCustomizations().changes);
  writeTree(dest, new Map([...tree, ...updatesFiles(product, level), ...runtime]));
  return dest;
}

/**
 * Materialises every level and publishes them into `<outDir>/repo`, signed (TUF) with keys made by the real
 * `keygen` in `<outDir>/keys` (`signed: false` for an unsigned repository). `root` is the root.json to pin.
 */
export function buildFixtures(outDir, { publish = true, signed = true } = {}) {
  outDir = resolve(outDir);
  rmSync(outDir, { recursive: true, force: true });
  const { product, runtime, levels } = levelTrees();
  const out = {
    outDir, product, repo: join(outDir, 'repo'), levels: [], trees: {}, notes: {},
    keys: signed ? join(outDir, 'keys') : null, root: signed ? join(outDir, 'repo', 'metadata', '1.root.json') : null,
  };
  for (const { level, tree, notes } of levels) {
    const dir = join(outDir, 'trees', `level-${level}`);
    // Runtime data goes into level 0's tree too: publish must leave it out on its own.
    writeTree(dir, new Map([...tree, ...updatesFiles(product, level), ...(level === 0 ? runtime : [])]));
    const notesFile = join(outDir, 'notes', `level-${level}.yaml`);
    mkdirSync(join(outDir, 'notes'), { recursive: true });
    writeFileSync(notesFile, stringify(notes));
    out.levels.push(level);
    out.trees[level] = dir;
    out.notes[level] = notesFile;
  }
  if (publish) {
    if (signed) cli(['keygen', '--keys', out.keys]);
    for (const level of out.levels) {
      cli(['publish', '--repo', out.repo, '--product', product, '--level', String(level), '--tree', out.trees[level], '--notes', out.notes[level], ...(signed ? ['--keys', out.keys] : [])]);
    }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const outDir = i > 0 ? process.argv[i + 1] : join(ROOT, 'fixtures', 'build');
  try {
    const out = buildFixtures(outDir, { publish: !process.argv.includes('--no-publish'), signed: !process.argv.includes('--unsigned') });
    console.log(`${out.product}: levels ${out.levels.join(', ')}\n  trees:      ${join(out.outDir, 'trees')}\n  repository: ${out.repo}${out.keys ? `\n  keys:       ${out.keys}\n  root:       ${out.root}` : ''}`);
  } catch (err) {
    console.error(String(err.message ?? err));
    process.exit(1);
  }
}
