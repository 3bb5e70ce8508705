#!/usr/bin/env node
// `npm run bench [-- --runs N] [-- --quick] [-- --keep] [-- --download-reps N]
//   [-- --merge-only | --http-only | --bundle-only | --scale-only]`:
// medians of publish, init, plan, two merges (pathological and a large deployment.toml), plan+apply and a three-jar
// apply-hotfix on a large generated pack and the offline bundle (create-update, apply-update), each beside the peer a
// user would compare it with, plus apply's peak RSS, and plan and apply of the same update on the pack grown to
// 48,000 files. Drives the real CLI (dist/). `--merge-only` measures just the merges (no pack, seconds instead of
// minutes); `--http-only` just plan + apply over HTTP from nginx beside the folder, and the download part beside
// curl --parallel (repeated --download-reps times per run, default 5: the first, still warming up, is often the slowest); `--bundle-only` just the bundle rows;
// `--scale-only` just plan and apply (with peak RSS) on the 12,000- and the 48,000-file pack.
// None of them rewrites BENCH.md. Data lives under .bench/, removed at the end unless --keep.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { BIN, ROOT } from './build-fixtures.mjs';
import { generateLargePack, widenPack } from './gen-large-pack.mjs';
import { copyTree, ensureTool, gitCheckoutRun, gitSetup, rsyncRun, sha256All, timed, timedWithRss } from './lib/bench-peers.mjs';
import { renderReport } from './lib/bench-report.mjs';
import { profiled } from './lib/bench-profile.mjs';
import { hotfixRun } from './lib/bench-hotfix.mjs';
import { bundleRun } from './lib/bench-bundle.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyMerge = argv.includes('--merge-only');
const onlyHttp = argv.includes('--http-only');
// How many times the download part is repeated, ours and curl's in turn, inside each run's HTTP measurement.
const downloadReps = argv.includes('--download-reps') ? Number(argv[argv.indexOf('--download-reps') + 1]) : 5;
const onlyBundle = argv.includes('--bundle-only');
const onlyScale = argv.includes('--scale-only');
const keep = argv.includes('--keep');
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 5;
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(downloadReps) || downloadReps < 1) {
  console.error('--runs and --download-reps need a whole number >= 1');
  process.exit(1);
}
const BENCH = join(ROOT, '.bench');
const node = process.execPath;
const cli = (args, opts = {}) => timed(node, [BIN, ...args], opts);

const samples = {};
const errors = {};
const mergeOutcomes = {};
let profile = null;
function attempt(metric, fn) {
  try {
    const v = fn();
    (samples[metric] ??= []).push(v);
    return v;
  } catch (err) {
    errors[metric] ??= String(err.message ?? err).split('\n').slice(0, 3).join(' | ');
    return null;
  }
}

/** The updated pack must hold level 1's files where nothing was customized, and both edits where merged. */
function verifyUpdated(home, pack, who) {
  const { change, customized } = pack.spec;
  const same = (p) => readFileSync(join(home, p)).equals(readFileSync(join(pack.l1, p)));
  for (const p of [...change.replaced.slice(0, 20), ...change.added.slice(0, 20)]) if (!same(p)) throw new Error(`${who}: ${p} is not level 1's`);
  for (const p of change.removed) if (existsSync(join(home, p))) throw new Error(`${who}: ${p} was not removed`);
  for (const p of customized.filter((q) => change.edited.includes(q))) {
    const t = readFileSync(join(home, p), 'utf8');
    if (!t.includes('operator') || !t.includes('level 1')) throw new Error(`${who}: ${p} lost an edit in the merge`);
  }
  if (!existsSync(join(home, 'repository/components/dropins/custom0.jar'))) throw new Error(`${who}: a user file is gone`);
}

/** A signed repository at `repo` holding levels 0 and 1 of `trees` (not timed: the setup of the --*-only modes). */
function publishBoth(repo, keys, trees, product) {
  cli(['keygen', '--keys', keys]);
  cli(['publish', '--repo', repo, '--product', product, '--level', '0', '--tree', trees.l0, '--keys', keys]);
  cli(['publish', '--repo', repo, '--product', product, '--level', '1', '--tree', trees.l1, '--notes', join(BENCH, 'pack', 'notes-1.yaml'), '--keys', keys]);
}

/** One more plan and apply of the same update on a fresh copy, under the CPU profiler (not timed). */
function profilePass(dir, repo, pack) {
  const home = join(dir, 'home-profiled');
  const plan = join(dir, 'plan-profiled.json');
  copyTree(pack.home, home);
  cli(['init', '--home', home, '--repo', repo, '--trust-root', join(repo, 'metadata', '1.root.json')]);
  const run = (nodeArgs) => timed(node, nodeArgs);
  // The compiled modules, not the bundle: the buckets go by function names, which the bundle's minification replaces.
  const modules = join(ROOT, 'scripts', 'lib', 'run-modules.mjs');
  return { plan: profiled(run, [modules, 'plan', '--home', home, '--out', plan]), apply: profiled(run, [modules, 'apply', plan, '--home', home, '--yes']) };
}

/**
 * The scale rows: the same update planned and applied on the pack grown to 48,000 files (36,000 the update does not
 * touch), from a repository published once before the runs; the cost should follow the update, not the pack.
 * `suffix` names the metrics ('48'; '' with --scale-only, which measures the 12,000-file pack the same way).
 */
function wideRun(i, wide, suffix = '48') {
  const dir = join(BENCH, `wide-run-${i}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const home = join(dir, 'home'), plan = join(dir, 'plan.json');
  copyTree(wide.home, home);
  cli(['init', '--home', home, '--repo', wide.repo, '--trust-root', join(wide.repo, 'metadata', '1.root.json')]);
  const p = attempt(`plan${suffix}`, () => cli(['plan', '--home', home, '--out', plan]).s);
  if (p !== null) {
    attempt(`apply${suffix}`, () => {
      const r = timedWithRss(node, [BIN, 'apply', plan, '--home', home, '--yes']);
      attempt(`rss${suffix}`, () => r.rssMB);
      return r.s;
    });
    if (i === 1) attempt(`verified${suffix}`, () => (verifyUpdated(home, wide, `wso2update (${wide.spec.files} files)`), 1));
  }
  rmSync(dir, { recursive: true, force: true });
}

/** The 48,000-file pack and its signed repository (levels 0 and 1), made once: neither is measured. */
function widen(pack) {
  const t = Date.now();
  const wide = widenPack(pack, join(BENCH, 'pack48'));
  const repo = join(BENCH, 'repo48'), keys = join(BENCH, 'keys48'), product = pack.spec.product;
  publishBoth(repo, keys, wide, product);
  console.log(`${wide.spec.files} files pack (${wide.spec.extra} more, untouched by the update) published in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return { ...wide, repo };
}

function oneRun(i, pack, git, wide) {
  const dir = join(BENCH, `run-${i}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const repo = join(dir, 'repo'), home = join(dir, 'home'), plan = join(dir, 'plan.json'), product = pack.spec.product;
  const keys = join(dir, 'keys'); // the channel is signed (TUF), as a real one is: refresh and checks are measured too
  cli(['keygen', '--keys', keys]);
  attempt('publish0', () => cli(['publish', '--repo', repo, '--product', product, '--level', '0', '--tree', pack.l0, '--keys', keys]).s);
  attempt('publish1', () => cli(['publish', '--repo', repo, '--product', product, '--level', '1', '--tree', pack.l1, '--notes', join(BENCH, 'pack', 'notes-1.yaml'), '--keys', keys]).s);
  copyTree(pack.home, home);
  attempt('init', () => cli(['init', '--home', home, '--repo', repo, '--trust-root', join(repo, 'metadata', '1.root.json')]).s);
  attempt('sha256sum', () => sha256All(home).s);
  const p = attempt('plan', () => cli(['plan', '--home', home, '--out', plan]).s);
  let rss = 0;
  const a = attempt('apply', () => {
    const r = timedWithRss(node, [BIN, 'apply', plan, '--home', home, '--yes']);
    rss = r.rssMB;
    return r.s;
  });
  if (p !== null && a !== null) {
    attempt('rss', () => rss);
    attempt('planApply', () => p + a);
    if (i === 1) attempt('verified', () => (verifyUpdated(home, pack, 'wso2update'), 1));
    // On the pack now at level 1: a three-jar hotfix of level 1, beside copying the same jars by hand.
    attempt('applyHotfix', () => {
      const r = hotfixRun({ dir, repo, keys, home, pack, cli, timed, product });
      attempt('cpHotfix', () => r.peer);
      return r.ours;
    });
  }
  bundleRun({ dir: join(dir, 'bundle'), repo, pack, cli, attempt, verify: verifyUpdated, first: i === 1 });
  httpRun(dir, repo, pack);
  if (i === runs) { // the last run: the first one still pays for warming caches after the generation
    try {
      profile = profilePass(dir, repo, pack);
    } catch (err) {
      errors.profile = String(err.message ?? err).split('\n')[0];
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const gitVerify = i === 1 ? (wt) => attempt('gitVerified', () => (verifyUpdated(wt, pack, 'git checkout -m'), 1)) : undefined;
  attempt('gitCheckout', () => gitCheckoutRun(join(BENCH, 'git'), git, pack.home, join(BENCH, `wt-${i}`), gitVerify).s);
  attempt('startup', () => cli(['--version']).s);
  attempt('rsync', () => rsyncRun(pack.l1, pack.home, join(BENCH, `rsync-${i}`)).s);
  if (wide) wideRun(i, wide);
  mergeRun();
}

/** Plan + apply over HTTP from a private nginx, and the download part beside curl --parallel (one JSON line). */
function httpRun(dir, repo, pack) {
  attempt('httpPlanApply', () => {
    const r = JSON.parse(timed(node, ['--import', 'tsx', join(ROOT, 'scripts/lib/bench-http.mjs'), repo, pack.home, join(dir, 'http'), String(downloadReps)], { cwd: ROOT }).stdout.trim().split('\n').pop());
    for (const [metric, v] of [['httpDownload', r.download], ['curlParallel', r.curl], ['httpDownloadCpu', r.downloadCpu], ['curlCpu', r.curlCpu], ['httpFiles', r.files], ['httpMB', r.bytes / 1048576]]) attempt(metric, () => v);
    return r.planApply;
  });
}

/** `--http-only`: the pack, its repository (signed), then per run plan + apply from the folder and the HTTP rows. */
function httpOnly() {
  preflight();
  const { pack, size } = generate();
  const dir = join(BENCH, 'http-only');
  const repo = join(dir, 'repo'), keys = join(dir, 'keys'), product = pack.spec.product;
  publishBoth(repo, keys, pack, product);
  const load = [loadavg()];
  for (let i = 1; i <= runs; i++) {
    const home = join(dir, `home-${i}`), plan = join(dir, `plan-${i}.json`);
    copyTree(pack.home, home);
    cli(['init', '--home', home, '--repo', repo, '--trust-root', join(repo, 'metadata', '1.root.json')]);
    const p = attempt('plan', () => cli(['plan', '--home', home, '--out', plan]).s);
    const a = attempt('apply', () => cli(['apply', plan, '--home', home, '--yes']).s);
    if (p !== null && a !== null) attempt('planApply', () => p + a);
    rmSync(home, { recursive: true, force: true });
    httpRun(join(dir, `run-${i}`), repo, pack);
    load.push(loadavg());
    console.log(`run ${i}/${runs} done (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  }
  const report = renderReport({ samples, errors, runs, quick, load, section: 'http', pack: { ...pack.spec, sizeMB: Number(size) }, downloadReps });
  console.log(`\n${report}`);
  return Object.keys(errors).length ? 1 : 0;
}

function generate() {
  const t = Date.now();
  const pack = generateLargePack(join(BENCH, 'pack'), { quick });
  const size = spawnSync('du', ['-sm', pack.l0], { encoding: 'utf8' }).stdout.split('\t')[0];
  console.log(`generated ${pack.spec.files} files (${size} MB) at level 0, ${Object.values(pack.spec.change).flat().length} changed paths at level 1, ${pack.spec.customized.length} customized files in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return { pack, size };
}

/** The merge rows: merge3 in-process on the pathological and the deployment.toml case, git merge-file on the same files. */
function mergeRun() {
  for (const [which, metric] of [['pathological', 'merge'], ['deployment', 'mergeDeploy']]) {
    const mdir = join(BENCH, `merge-${which}`);
    mkdirSync(mdir, { recursive: true });
    const r = attempt(metric, () => {
      const out = JSON.parse(timed(node, ['--import', 'tsx', join(ROOT, 'scripts/lib/merge-timer.mjs'), mdir, which], { cwd: ROOT }).stdout);
      mergeOutcomes[which] = `${out.clean ? 'clean' : `${out.conflicts} conflicts`}${out.ambiguous ? ` (${out.ambiguous} too-ambiguous)` : ''}`;
      if (which === 'deployment') attempt('mergeDeployWarm', () => out.warmMs / 1000);
      return out.ms / 1000;
    });
    if (r === null) continue;
    attempt(`${metric}Git`, () => {
      // git's exit code is the number of conflicts (up to 127).
      const ok = Array.from({ length: 128 }, (_, k) => k);
      return timed('git', ['merge-file', '-p', join(mdir, 'ours'), join(mdir, 'base'), join(mdir, 'theirs')], { ok }).s;
    });
  }
}

/** `--merge-only`: just the merge rows, without generating the large pack (BENCH.md is left as it is). */
function mergeOnly() {
  if (!existsSync(join(ROOT, 'dist', 'core', 'merge.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  rmSync(BENCH, { recursive: true, force: true });
  for (let i = 1; i <= runs; i++) mergeRun();
  const report = renderReport({ samples, errors, runs, quick: true, mergeOnly: true, mergeOutcomes, load: [loadavg()] });
  console.log(report);
  return Object.keys(errors).length ? 1 : 0;
}

/** `--bundle-only`: the large pack and its signed repository, then just the bundle rows (BENCH.md left as it is). */
function bundleOnly() {
  preflight();
  const { pack, size } = generate();
  const load = [loadavg()];
  for (let i = 1; i <= runs; i++) {
    const dir = join(BENCH, `bundle-run-${i}`);
    const repo = join(dir, 'repo'), keys = join(dir, 'keys');
    publishBoth(repo, keys, pack, pack.spec.product);
    bundleRun({ dir: join(dir, 'bundle'), repo, pack, cli, attempt, verify: verifyUpdated, first: i === 1 });
    rmSync(dir, { recursive: true, force: true });
    load.push(loadavg());
    console.log(`run ${i}/${runs} done (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  }
  console.log(renderReport({ samples, errors, runs, quick, load, section: 'bundle', pack: { ...pack.spec, sizeMB: Number(size) } }));
  return Object.keys(errors).length ? 1 : 0;
}

/** `--scale-only`: plan and apply of the same update on the 12,000- and the 48,000-file pack, with peak RSS. */
function scaleOnly() {
  preflight();
  const { pack, size } = generate();
  const wide = widen(pack);
  const dir = join(BENCH, 'scale');
  const repo = join(dir, 'repo'), keys = join(dir, 'keys'), product = pack.spec.product;
  publishBoth(repo, keys, pack, product);
  const load = [loadavg()];
  for (let i = 1; i <= runs; i++) {
    wideRun(i, { ...pack, repo }, '');
    wideRun(i, wide, '48');
    load.push(loadavg());
    console.log(`run ${i}/${runs} done (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  }
  console.log(renderReport({ samples, errors, runs, quick, load, section: 'scale', pack: { ...pack.spec, sizeMB: Number(size) } }));
  return Object.keys(errors).length ? 1 : 0;
}

function preflight() {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  for (const [tool, apt] of [['git'], ['sha256sum'], ['rsync', 'rsync'], ['curl'], ['nginx', 'nginx']]) if (!ensureTool(tool, apt)) throw new Error(`${tool} is needed by the bench`);
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed to measure peak RSS and CPU times (apt-get install time)');
  rmSync(BENCH, { recursive: true, force: true });
}

function main() {
  preflight();
  const { pack, size } = generate();
  const t = Date.now();
  const git = gitSetup(join(BENCH, 'git'), pack.l0, pack.l1);
  console.log(`git peer repository ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  let wide = null;
  try {
    wide = widen(pack);
  } catch (err) {
    errors.plan48 = `the 48,000-file pack could not be made: ${String(err.message ?? err).split('\n')[0]}`;
  }
  // Other work on the machine skews wall-clock times: the report states the load average around the runs.
  const load = [loadavg()];
  for (let i = 1; i <= runs; i++) {
    oneRun(i, pack, git, wide);
    load.push(loadavg());
    console.log(`run ${i}/${runs} done (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  }
  const report = renderReport({ samples, errors, runs, quick, load, profile, mergeOutcomes, pack: { ...pack.spec, sizeMB: Number(size) }, downloadReps });
  console.log(`\n${report}`);
  if (!quick) writeFileSync(join(ROOT, 'BENCH.md'), report);
  else console.log('(--quick: BENCH.md left as it is)');
  return Object.keys(errors).length ? 1 : 0;
}

let code = 1;
try {
  code = onlyMerge ? mergeOnly() : onlyHttp ? httpOnly() : onlyBundle ? bundleOnly() : onlyScale ? scaleOnly() : main();
} catch (err) {
  console.error(`bench failed: ${err.message}`);
}
if (!keep) rmSync(BENCH, { recursive: true, force: true });
process.exit(code);
