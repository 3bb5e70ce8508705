#!/usr/bin/env node
// Generates a large, realistic WSO2-like pack for the benchmark, deterministically (seeded): level 0 (~12,000
// files, ~700 MB: jars of log-normal sizes, wars, configs, scripts, web resources, a symlink), level 1 (a few
// hundred changed paths), and a customized product home (edited configs, user files, runtime logs and database).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { prng, randomBytes } from '../fixtures/lib/content.mjs';

const MB = 1024 * 1024;
const PRODUCT = 'wso2am-4.2.0';
// Counts for the full pack; `scale` shrinks counts and sizes together (--quick).
const SHAPE = {
  jars: [['repository/components/plugins', 1400], ['repository/components/lib', 250], ['lib', 80]],
  jarBytes: 400 * MB,
  wars: 14, warBytes: 150 * MB,
  text: [['repository/conf', 'xml', 400], ['repository/components/features', 'xml', 3000], ['repository/deployment/server/jaggeryapps', 'js', 6500],
    ['dbscripts', 'sql', 80], ['repository/deployment/server/synapse-configs/default', 'xml', 200]],
  runtime: [['repository/logs', 'wso2carbon', 30, 40 * MB], ['repository/database', 'WSO2AM_DB', 6, 60 * MB]],
};

/** Bytes that are unique per path (a hashed header) around a slice of one shared random pool: fast to write. */
function writer(pool) {
  return (abs, seed, size) => {
    mkdirSync(dirname(abs), { recursive: true });
    const fd = openSync(abs, 'w');
    const head = Buffer.concat([Buffer.from('PK\x03\x04'), createHash('sha256').update(seed).digest()]);
    writeSync(fd, head);
    let left = Math.max(0, size - head.length);
    let off = createHash('md5').update(seed).digest().readUInt32LE(0) % (pool.length / 2);
    while (left > 0) {
      const n = Math.min(left, pool.length - off);
      writeSync(fd, pool, off, n);
      left -= n;
      off = 0;
    }
    closeSync(fd);
  };
}

/** A text file of `lines` distinct, config-like lines (distinct lines keep three-way merges well anchored). */
function text(rng, name, lines, ext) {
  const out = [];
  for (let i = 0; i < lines; i++) {
    const v = rng.next().toString(36);
    out.push(ext === 'xml' ? `    <Parameter name="${name}.p${i}">${v}</Parameter>` : ext === 'sql' ? `INSERT INTO T_${i} VALUES ('${v}');` : `  config.${name}_${i} = "${v}";`);
  }
  return `${out.join('\n')}\n`;
}

function normal(rng) {
  return Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
}

/** The level-0 file list: path -> {bin: size} | {text: content} (content generated lazily from a seed). */
function planPack(rng, scale) {
  const files = new Map();
  const jarSizes = [];
  for (const [dir, n] of SHAPE.jars) {
    for (let i = 0; i < Math.round(n * scale); i++) {
      const path = `${dir}/org.wso2.bundle${i}.${dir.split('/').pop()}_${1 + (i % 7)}.${i % 13}.${i % 5}.jar`;
      jarSizes.push([path, Math.exp(Math.log(60e3) + 1.4 * normal(rng))]);
    }
  }
  const sum = jarSizes.reduce((s, [, x]) => s + x, 0);
  for (const [p, x] of jarSizes) files.set(p, { bin: Math.max(2048, Math.min(50 * MB, Math.round((x * SHAPE.jarBytes * scale) / sum))) });
  const wars = Math.max(2, Math.round(SHAPE.wars * scale));
  for (let i = 0; i < wars; i++) files.set(`repository/deployment/server/webapps/api#app${i}.war`, { bin: Math.round((SHAPE.warBytes * scale) / wars) });
  for (const [dir, ext, n] of SHAPE.text) {
    for (let i = 0; i < Math.round(n * scale); i++) files.set(`${dir}/m${i % 40}/file${i}.${ext}`, { text: 20 + (rng.next() % 300), ext });
  }
  for (let i = 0; i < 12; i++) files.set(`bin/tool${i}.sh`, { text: 30 + i, ext: 'sh', mode: 0o755 });
  files.set('bin/api-manager.sh', { text: 120, ext: 'sh', mode: 0o755 });
  return files;
}

function materialise(root, files, write) {
  for (const [path, f] of files) {
    const abs = join(root, path);
    if (f.bin !== undefined) write(abs, `${path}#${f.rev ?? 0}`, f.bin);
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, f.data ?? text(prng(path), path.replace(/\W/g, '_').slice(-30), f.text, f.ext), { mode: f.mode ?? 0o644 });
    }
  }
}

/** Replaces line `at` (a fraction of the file) of a text file, unlinking first so hard links elsewhere keep theirs. */
function editLine(abs, at, tag) {
  const lines = readFileSync(abs, 'utf8').split('\n');
  const i = Math.floor((lines.length - 1) * at);
  lines[i] = `${lines[i]} <!-- ${tag} -->`;
  unlinkSync(abs);
  writeFileSync(abs, lines.join('\n'));
}

export function generateLargePack(outDir, { quick = false, seed = 'wso2update-bench' } = {}) {
  const scale = quick ? 0.1 : 1;
  const rng = prng(seed);
  const pool = randomBytes(`${seed}-pool`, 64 * MB);
  const write = writer(pool);
  rmSync(outDir, { recursive: true, force: true });
  const l0 = join(outDir, 'level-0'), l1 = join(outDir, 'level-1'), home = join(outDir, 'home');
  const files = planPack(rng, scale);
  materialise(l0, files, write);
  symlinkSync('api-manager.sh', join(l0, 'bin/apimanager'));
  const ids = (v) => new Map([['updates/product.txt', { data: `${PRODUCT}\n` }], ['updates/config.json', { data: `${JSON.stringify({ 'update-level': String(v), product: { pattern: PRODUCT } }, null, 2)}\n` }]]);
  materialise(l0, ids(0), write);

  // Level 1: hard-linked copy of level 0 (unchanged files share mtimes, as rsync's quick check expects), then edits.
  execFileSync('cp', ['-al', l0, l1]);
  unlinkSync(join(l1, 'updates/config.json')); // a hard link: writing through it would change level 0 too
  materialise(l1, new Map([...ids(1)].slice(1)), write);
  const paths = [...files.keys()];
  const pick = (pred, n) => paths.filter(pred).filter((_, i) => i % 7 === 3).slice(0, Math.max(2, Math.round(n * scale)));
  const jars = pick((p) => p.endsWith('.jar'), 190);
  const confs = pick((p) => p.startsWith('repository/conf/'), 60);
  const removed = pick((p) => p.endsWith('.js'), 30);
  const change = { replaced: jars.slice(0, -Math.round(40 * scale)), bumped: jars.slice(-Math.round(40 * scale)), edited: confs, removed, added: [] };
  for (const p of change.replaced) { unlinkSync(join(l1, p)); write(join(l1, p), `${p}#1`, files.get(p).bin); }
  for (const p of change.bumped) { unlinkSync(join(l1, p)); const q = p.replace(/\.jar$/, '.1.jar'); change.added.push(q); write(join(l1, q), `${q}#1`, files.get(p).bin); }
  for (const p of change.edited) editLine(join(l1, p), 0.8, 'level 1');
  for (const p of change.removed) unlinkSync(join(l1, p));
  for (let i = 0; i < Math.round(60 * scale); i++) {
    const q = `repository/conf/added/new${i}.xml`;
    change.added.push(q);
    materialise(l1, new Map([[q, { text: 40, ext: 'xml' }]]), write);
  }

  // The customized home: a real copy of level 0, runtime data, operator edits (half of them on files level 1
  // edits too, far from its line, so they merge cleanly) and user files.
  execFileSync('cp', ['-a', l0, home]);
  const others = pick((p) => p.startsWith('repository/conf/') && !confs.includes(p), 20);
  const customized = [...confs.slice(0, Math.ceil(confs.length / 3)), ...others];
  for (const p of customized) editLine(join(home, p), 0.1, 'operator');
  for (let i = 0; i < 10; i++) write(join(home, `repository/components/dropins/custom${i}.jar`), `custom${i}`, 50e3);
  for (const [dir, name, n, bytes] of SHAPE.runtime) {
    for (let i = 0; i < Math.max(1, Math.round(n * scale)); i++) write(join(home, dir, `${name}-${i}.log`), `${dir}${i}`, Math.round((bytes * scale) / n));
  }
  const spec = { product: PRODUCT, scale, files: files.size + 1, bytes: [...files.values()].reduce((s, f) => s + (f.bin ?? f.text * 40), 0), change, customized };
  writeFileSync(join(outDir, 'spec.json'), `${JSON.stringify(spec, null, 1)}\n`);
  writeFileSync(join(outDir, 'notes-1.yaml'), 'title: Bench update\ndate: "2024-01-15"\ndescription: A few hundred replaced jars, edited configs, adds and removes.\n');
  return { l0, l1, home, spec };
}

/**
 * The same pack grown by `extra` files (36,000 at full scale: 48,000 in all) that the update does not touch: web
 * resources and feature descriptors in folders of their own, as a larger product ships them. The pack's trees are
 * hard-linked (read, never written, by the bench) and the extra files linked into all three, so that only the
 * pack's size differs between the two measurements, not the update nor the customizations.
 */
export function widenPack(pack, outDir, { extra = Math.round(36000 * pack.spec.scale) } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const more = join(outDir, 'extra');
  const files = new Map();
  const rng = prng('wso2update-bench-wide');
  for (let i = 0; i < extra; i++) {
    const [dir, ext] = i % 3 === 2 ? ['repository/components/features/extra', 'xml'] : ['repository/deployment/server/jaggeryapps/portal/site', 'js'];
    files.set(`${dir}/d${Math.floor(i / 40)}/res${i}.${ext}`, { text: 10 + (rng.next() % 90), ext });
  }
  materialise(more, files, null);
  const out = {};
  for (const which of ['l0', 'l1', 'home']) {
    out[which] = join(outDir, which === 'l0' ? 'level-0' : which === 'l1' ? 'level-1' : 'home');
    execFileSync('cp', ['-al', pack[which], out[which]]);
    execFileSync('cp', ['-al', `${more}/.`, out[which]]);
  }
  rmSync(more, { recursive: true, force: true });
  return { ...out, spec: { ...pack.spec, files: pack.spec.files + extra, extra } };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv.find((a, i) => process.argv[i - 1] === '--out') ?? '.bench/pack');
  const t = Date.now();
  const { spec } = generateLargePack(out, { quick: process.argv.includes('--quick') });
  console.log(`${out}: ${spec.files} files at level 0, ${Object.values(spec.change).flat().length} changed paths, ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
