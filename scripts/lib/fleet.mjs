// A fleet on this machine for the rollout test and `npm run fleet`: a repository with two levels of a small
// WSO2-like pack (jars large enough that blob traffic is measurable), N nodes adopted with the real CLI (each its
// own product home), one portable plan made on a builder node, and an Ansible inventory (ansible_connection=local).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'wso2update.js');
/** The CLI the nodes run: the single executable under test (WSO2UPDATE_TEST_EXE, set by the test runner's second
 * pass, which also sets WSO2UPDATE_NO_SELF_UPDATE=1), else the checkout. As argv, and as a shell command line. */
const EXE = process.env.WSO2UPDATE_TEST_EXE || null;
export const CLI_ARGV = EXE ? [EXE] : [process.execPath, BIN];
export const CLI_LINE = CLI_ARGV.map((a) => `"${a}"`).join(' ');
export const PRODUCT = 'wso2am-4.2.0';

/** Deterministic bytes standing in for a jar (incompressible, so sizes are what travels). */
function jar(seed, size) {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < size; off += block.length) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

const TOML0 = '[server]\nhostname = "localhost"\noffset = 0\n\n[database]\nurl = "jdbc:h2:./repository/database/WSO2AM_DB"\n';
const TOML1 = TOML0.replace('WSO2AM_DB"', 'WSO2AM_DB;MODE=LEGACY"');

/** Level 0 and level 1 of the pack: level 1 replaces two jars, adds one, removes a plugin, edits config. */
export function levelTrees() {
  const base = {
    'bin/api-manager.sh': { data: '#!/bin/sh\necho "starting API Manager 4.2.0"\n', mode: 0o755 },
    'lib/org.wso2.carbon.core.jar': { data: jar('core-0', 384 << 10) },
    'lib/org.wso2.carbon.apimgt.gateway.jar': { data: jar('gateway-0', 256 << 10) },
    'lib/unchanged-dependency.jar': { data: jar('dep-0', 512 << 10) },
    'repository/conf/deployment.toml': { data: TOML0 },
    'repository/components/dropins/old-plugin.jar': { data: jar('old-plugin', 64 << 10) },
  };
  const level1 = { ...base };
  delete level1['repository/components/dropins/old-plugin.jar'];
  Object.assign(level1, {
    'bin/api-manager.sh': { data: '#!/bin/sh\necho "starting API Manager 4.2.0 (update level 1)"\n', mode: 0o755 },
    'lib/org.wso2.carbon.core.jar': { data: jar('core-1', 384 << 10) },
    'lib/org.wso2.carbon.apimgt.gateway.jar': { data: jar('gateway-1', 256 << 10) },
    'lib/org.wso2.carbon.security-fix.jar': { data: jar('fix-1', 128 << 10) },
    'repository/conf/deployment.toml': { data: TOML1 },
  });
  return [base, level1];
}

function writeTree(root, spec) {
  for (const [rel, { data, mode = 0o644 }] of Object.entries(spec)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, data);
    chmodSync(abs, mode);
  }
}

/** Runs the real CLI; throws with its stderr unless the exit code is one of `ok`. */
export function cli(args, { ok = [0] } = {}) {
  const r = spawnSync(CLI_ARGV[0], [...CLI_ARGV.slice(1), ...args], { encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1' } });
  if (!ok.includes(r.status)) throw new Error(`wso2update ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r;
}

/** The repository (a folder) with levels 0 and 1, and the level-0 tree nodes are copied from. */
export function makeRepository(root) {
  const repo = join(root, 'repo');
  const trees = levelTrees().map((spec, level) => {
    const tree = join(root, `tree-${level}`);
    writeTree(tree, spec);
    cli(['publish', '--repo', repo, '--product', PRODUCT, '--level', String(level), '--tree', tree, '--date', '2026-11-01']);
    return tree;
  });
  return { repo, tree0: trees[0], tree1: trees[1] };
}

/** A node: level 0 as shipped, adopted with `init` against `repoUrl` (a folder or the channel's URL). */
export function makeNode(root, name, tree0, repoUrl) {
  const home = join(root, 'nodes', name);
  cpSync(tree0, home, { recursive: true });
  mkdirSync(join(home, 'updates'), { recursive: true });
  writeFileSync(join(home, 'updates', 'product.txt'), `${PRODUCT}\n`);
  cli(['init', '--home', home, '--repo', repoUrl, '--level', '0', '--allow-unsigned']);
  return home;
}

/** A portable plan to level 1, made once on `builderHome`; returns its path and digest. */
export function makePlan(root, builderHome, repoUrl) {
  const out = join(root, 'rollout.plan.json');
  cli(['plan', '--home', builderHome, '--repo', repoUrl, '--level', '1', '--portable', '--out', out], { ok: [0, 3] }); // 3: it holds conflicts
  const plan = JSON.parse(readFileSync(out, 'utf8'));
  return { path: out, digest: plan.digest, plan };
}

/** Bytes a node must fetch for the plan: the blobs of what it adds or replaces (merged text travels in the plan). */
export function updateBytes(plan) {
  return plan.actions.filter((a) => (a.action === 'add' || a.action === 'replace') && a.after.kind === 'file').reduce((n, a) => n + a.after.size, 0);
}

/** A YAML (here: JSON, which YAML reads) inventory: group `wso2`, each host with its own vars. */
export function writeInventory(file, hosts, groupVars) {
  const inv = { all: { children: { wso2: { hosts: Object.fromEntries(hosts.map((h) => [h.name, h.vars])), vars: { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3', ...groupVars } } } } };
  writeFileSync(file, `${JSON.stringify(inv, null, 2)}\n`);
  return file;
}

/** `ansible-playbook -i INVENTORY ansible/rollout.yml -e plan=... -e digest=...` plus extra `-e` pairs. */
export function rolloutArgs(inventory, plan, digest, extra = {}) {
  const args = ['-i', inventory, join(ROOT, 'ansible', 'rollout.yml'), '-e', `plan=${plan}`, '-e', `digest=${digest}`];
  for (const [k, v] of Object.entries(extra)) args.push('-e', `${k}=${v}`);
  return args;
}

/** The environment ansible-playbook runs in: no cows, no retry files, no host key prompts, its temp inside `root`. */
export function ansibleEnv(root) {
  return {
    ...process.env,
    ANSIBLE_NOCOWS: '1',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_HOST_KEY_CHECKING: '0',
    ANSIBLE_LOCAL_TEMP: join(root, 'ansible-tmp'),
    ANSIBLE_REMOTE_TEMP: join(root, 'ansible-tmp'),
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    CI: '1',
  };
}

/**
 * The rollout scenario of the test and `npm run fleet`: `count` nodes adopted against `repoUrl`; node 2 has a
 * drifted jar (a hand-applied hotfix: it must refuse alone, exit 5), node 4's health check fails (reverted, exit 8),
 * node 3 runs the tool through a wrapper whose first status, check and apply each exit 2 (as a self-updating tool),
 * node 5 looks like a running product (wso2carbon.pid with a live pid) until its stop_cmd removes the pid file;
 * nodes 2 and 4 have stop_cmd/start_cmd that write to `events(root, node)`;
 * with `mirrorOf` (a repository folder), node 6 fetches from a copy of it (`wso2update_repo`, apply --repo).
 */
export function buildScenario(root, { count, repoUrl, tree0, mirrorOf }) {
  const names = Array.from({ length: count }, (_, i) => `node${String(i + 1).padStart(2, '0')}`);
  const [drifted, selfUpdating, unhealthy, running, mirrored] = [names[1], names[2], names[3], names[4], mirrorOf ? names[5] : undefined];
  const mirror = join(root, 'mirror');
  if (mirrored) cpSync(mirrorOf, mirror, { recursive: true });
  const homes = Object.fromEntries(names.map((n) => [n, makeNode(root, n, tree0, repoUrl)]));
  const builder = makeNode(root, 'builder', tree0, repoUrl);
  const plan = makePlan(root, builder, repoUrl);
  writeFileSync(join(homes[drifted], 'lib/org.wso2.carbon.core.jar'), 'hotfixed by hand on this node\n');
  // A "running" product (a live pid: this process) that only the node's stop_cmd gets out of apply's way.
  if (running) writeFileSync(join(homes[running], 'wso2carbon.pid'), `${process.pid}\n`);
  const wrapper = join(root, 'selfupdating-wso2update.sh');
  writeFileSync(wrapper, [
    '#!/bin/sh',
    '# Stands in for a tool that updates itself: the first status, the first check (apply --check-only) and the first',
    '# apply each exit 2 ("run the same command again"), as an older executable does before any command.',
    'kind="$1"; case " $* " in *" --check-only "*) kind=check;; esac',
    `if [ ! -e "${root}/self-updated-$kind" ]; then touch "${root}/self-updated-$kind"; echo "wso2update updated itself; run the same command again" >&2; exit 2; fi`,
    `exec ${CLI_LINE} "$@"`,
    '',
  ].join('\n'));
  chmodSync(wrapper, 0o755);
  const healthy = "grep -q 'update level 1' bin/api-manager.sh && test -f lib/org.wso2.carbon.security-fix.jar";
  const hosts = names.map((n) => ({
    name: n,
    vars: {
      pack_home: homes[n],
      health_cmd: n === unhealthy ? 'echo "probe: GET /api/am/gateway/health -> HTTP 503" >&2; exit 1' : healthy,
      ...(n === selfUpdating ? { wso2update_cmd: wrapper } : {}),
      ...(n === running ? { stop_cmd: 'rm -f wso2carbon.pid' } : {}),
      // The drifted and the unhealthy node have a stop and a start command that leave a trace outside the pack: the
      // drifted one must never be stopped (its plan is refused first), the unhealthy one started again once reverted.
      ...(n === drifted || n === unhealthy ? { stop_cmd: `echo stop >> ${events(root, n)}`, start_cmd: `echo start >> ${events(root, n)}` } : {}),
      ...(n === mirrored ? { wso2update_repo: mirror } : {}),
    },
  }));
  const inventory = writeInventory(join(root, 'inventory.yml'), hosts, { wso2update_cmd: CLI_ARGV.join(' ') });
  return { names, homes, plan, inventory, drifted, selfUpdating, unhealthy, running, mirrored, mirror };
}

/** Where a node's stop_cmd and start_cmd of the scenario write what they did (outside its pack). */
export const events = (root, node) => join(root, `${node}.events`);

/** "after": level 1's tree, plus the folders of level 0 that the update emptied (the tool removes only folders it made). */
export function expectedAfter(snapshotOf, tree0, tree1) {
  const after = snapshotOf(tree1);
  for (const [p, v] of snapshotOf(tree0)) if (v.startsWith('dir ') && !after.has(p)) after.set(p, v);
  return after;
}

/** Runs ansible-playbook with `args` from `root`; resolves with its exit code and interleaved output. */
export function runPlaybook(root, args) {
  return new Promise((resolve, reject) => {
    const child = spawn('ansible-playbook', args, { cwd: root, env: ansibleEnv(root), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** null when this build reads http:// repositories (a throwaway node adopts against `url`), else why not. */
export function httpChannelRefusal(root, tree0, url) {
  try {
    makeNode(join(root, 'probe'), 'probe', tree0, url);
    return null;
  } catch (err) {
    return String(err.message).split('\n').slice(1, 3).join(' ').trim();
  }
}
