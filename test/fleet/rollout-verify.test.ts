// Issue 19, items 13-14, with real ansible-playbook over nodes on this machine: the controller decides nothing from
// a plan's fields before wso2update has verified the file (on the controller when it has the tool, else on a node),
// so a plan edited to look "already applied" while keeping the approved digest touches no node and never reports
// "unchanged"; and repository credentials set as role variables reach each node's tool through its environment,
// never a command line (every process's argv is sampled during the run) nor the playbook's output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ARGV, PRODUCT, makeRepository, rolloutArgs, runPlaybook } from '../../scripts/lib/fleet.mjs';
import { snapshot, snapshotDiff } from '../helpers/pack.js';
import { startFaultServer, type TestServer } from '../helpers/servers.js';
import { runCli, tmpDir } from '../helpers/tmp.js';

const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
const username = 'fleet-ops';
const password = 'role-canary-5be2d9';
const creds = { UPDATE_TOOL_USERNAME: username, UPDATE_TOOL_PASSWORD: password };
const NO_TOOL = '/nonexistent/wso2update'; // a controller without wso2update: the plan is verified on a node

const root = tmpDir('wso2update-fleet-verify-');
const { repo, tree0 } = makeRepository(root);
let server: TestServer;
const nodes = ['gw1', 'gw2'];
const homes: Record<string, string> = {};
let plan: { path: string; digest: string };
let inventory: string;

/** Every process's command line, sampled until stopped: what `ps` on the node would have shown. */
function sampleCommandLines(): { stop(): string[] } {
  const seen = new Set<string>();
  const timer = setInterval(() => {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        seen.add(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
      } catch { /* gone meanwhile */ }
    }
  }, 5);
  return { stop: () => { clearInterval(timer); return [...seen]; } };
}

const level = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level as number;
const skipLogs = (rel: string) => rel.startsWith('updates/logs/');

test('setup: a channel that needs credentials, two nodes and a portable plan made against it', async () => {
  assert.ok(hasAnsible, 'ansible-playbook not found: apt-get install -y ansible-core');
  server = await startFaultServer(repo, { auth: { username, password } });
  for (const n of [...nodes, 'planner']) {
    const home = join(root, 'nodes', n);
    cpSync(tree0, home, { recursive: true });
    mkdirSync(join(home, 'updates'), { recursive: true });
    writeFileSync(join(home, 'updates', 'product.txt'), `${PRODUCT}\n`);
    const init = await runCli(['init', '--home', home, '--repo', server.url, '--level', '0', '--allow-unsigned'], { env: creds });
    assert.is(init.code, 0, init.stderr);
    homes[n] = home;
  }
  const out = join(root, 'rollout.plan.json');
  const made = await runCli(['plan', '--home', homes.planner, '--level', '1', '--portable', '--out', out], { env: creds });
  assert.is(made.code, 0, made.stderr);
  plan = { path: out, digest: JSON.parse(readFileSync(out, 'utf8')).digest };
  inventory = join(root, 'inventory.yml');
  writeFileSync(inventory, JSON.stringify({
    all: {
      children: {
        wso2: {
          hosts: Object.fromEntries(nodes.map((n) => [n, { pack_home: homes[n], health_cmd: 'true' }])),
          vars: { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3', wso2update_cmd: CLI_ARGV.join(' '), wso2update_username: username, wso2update_password: password },
        },
      },
    },
  }));
});

test('13: a plan edited to look applied (toLevel and target manifest = the nodes\' state, approved digest kept) is refused before any node, verified on a node or on the controller', async () => {
  const status = JSON.parse((await runCli(['status', '--home', homes.gw1, '--json'])).stdout) as { level: number; manifestDigest: string };
  const forged = JSON.parse(readFileSync(plan.path, 'utf8'));
  forged.toLevel = status.level;
  forged.manifests.target = status.manifestDigest;
  const forgedPath = join(root, 'forged.plan.json');
  writeFileSync(forgedPath, JSON.stringify(forged, null, 2), { mode: 0o600 });
  for (const [where, controller] of [['gw1', NO_TOOL], ['the controller', CLI_ARGV.join(' ')]]) {
    const before = Object.fromEntries(nodes.map((n) => [n, snapshot(homes[n], () => false)]));
    const run = await runPlaybook(root, [...rolloutArgs(inventory, forgedPath, plan.digest), '-e', JSON.stringify({ wso2update_controller_cmd: controller })]);
    assert.is.not(run.code, 0, run.out);
    assert.match(run.out, `wso2update refused ${forgedPath} (verified on ${where})`);
    assert.match(run.out, 'plan digest does not match its content');
    assert.match(run.out, 'No node was touched');
    assert.not.match(run.out, /Nothing changed|unchanged|already at level/);
    for (const n of nodes) assert.equal(snapshotDiff(before[n], snapshot(homes[n], () => false)), [], `${n} was touched`);
  }
  // The verifying node keeps no copy of the plan (a private temporary file, removed).
  assert.equal(readdirSync(join(homes.gw1, 'updates/wso2update')).filter((f) => f.endsWith('.plan.json')), []);
});

test('14: credentials as role variables: the rollout moves every node, and the password is on no command line and in no output', async () => {
  const before = Object.fromEntries(nodes.map((n) => [n, snapshot(homes[n], skipLogs)]));
  const seen = server.seen.length;
  const sampler = sampleCommandLines();
  const run = await runPlaybook(root, [...rolloutArgs(inventory, plan.path, plan.digest), '-e', JSON.stringify({ wso2update_controller_cmd: NO_TOOL })]);
  const lines = sampler.stop();
  assert.is(run.code, 0, run.out);
  for (const n of nodes) {
    assert.is(level(homes[n]), 1, n);
    assert.ok(snapshotDiff(before[n], snapshot(homes[n], skipLogs)).length > 0);
  }
  const blobs = server.seen.slice(seen).filter((s) => s.url.startsWith('/blobs/'));
  assert.ok(blobs.length > 0 && blobs.every((s) => s.authorization === `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`));
  assert.ok(lines.some((l) => l.includes(' apply ')), 'the sampler saw the tool run');
  assert.equal(lines.filter((l) => l.includes(password)), [], 'the password was on a command line');
  assert.not.ok(run.out.includes(password), 'the password was in the playbook output');
  for (const n of nodes) {
    for (const f of readdirSync(join(homes[n], 'updates/logs'))) assert.not.ok(readFileSync(join(homes[n], 'updates/logs', f), 'utf8').includes(password));
  }
});

test('13: a controller with the tool verifies the real plan there and decides "unchanged" from it; a wrong password fails the nodes', async () => {
  const summaryFile = join(root, 'summary.json');
  const again = await runPlaybook(root, [...rolloutArgs(inventory, plan.path, plan.digest, { rollout_summary_file: summaryFile }), '-e', JSON.stringify({ wso2update_controller_cmd: CLI_ARGV.join(' ') })]);
  assert.is(again.code, 0, again.out);
  assert.equal(JSON.parse(readFileSync(summaryFile, 'utf8')).nodes.map((n: { outcome: string }) => n.outcome), ['unchanged', 'unchanged']);
  // Back to level 0 on one node, then a wrong password: that node fails with the server's 401, nothing changes.
  const revert = await runCli(['revert', '--home', homes.gw2, '--yes'], { env: creds });
  assert.is(revert.code, 4, revert.stderr);
  const before = snapshot(homes.gw2, skipLogs);
  const wrong = await runPlaybook(root, [...rolloutArgs(inventory, plan.path, plan.digest, { rollout_summary_file: summaryFile }), '-e', JSON.stringify({ wso2update_controller_cmd: NO_TOOL, wso2update_password: 'not-the-password' })]);
  assert.is.not(wrong.code, 0, wrong.out);
  assert.match(wrong.out, /refused the credentials \(401\)/);
  assert.not.ok(wrong.out.includes('not-the-password'));
  assert.equal(snapshotDiff(before, snapshot(homes.gw2, skipLogs)), []);
  assert.ok(existsSync(summaryFile));
});

test.after(async () => {
  await server?.stop();
});

test.run();
