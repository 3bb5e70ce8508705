// The fleet rollout end to end: real ansible-playbook running ansible/rollout.yml over six nodes on this machine
// (each its own product home, ansible_connection=local), with the real CLI on each. One node has a drifted jar
// and refuses alone (exit 5) before its stop_cmd runs, one fails its health check, is reverted (exit 8) and started
// again (start_cmd), one's tool exits 2 at status, check and apply and each is run once more; the rest move. Every node ends byte-identical to "before" or "after", and the summary says
// which. A second run over the moved nodes changes nothing and says so; a wrong digest touches no node. The nodes
// fetch from a private nginx on 127.0.0.1 (its access log shows each applying node fetched the update once).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { buildScenario, events, expectedAfter, httpChannelRefusal, makeRepository, rolloutArgs, runPlaybook, updateBytes } from '../../scripts/lib/fleet.mjs';
import { servedBytes, startNginx } from '../../scripts/lib/nginx.mjs';
import { diffSnapshots, snapshot } from '../../scripts/lib/tree-snapshot.mjs';
import { tmpDir } from '../helpers/tmp.js';

type Snap = Map<string, string>;
interface NodeResult { host: string; outcome: string; rc: number; reason: string; detail: string; paths: string[]; level: number | null }

const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;

const level = (home: string): number => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level;
const logOf = (home: string): string => readdirSync(join(home, 'updates/logs')).map((n) => readFileSync(join(home, 'updates/logs', n), 'utf8')).join('');
const recap = (out: string, host: string) => new RegExp(`${host}\\s+: ok=\\d+\\s+changed=(\\d+)\\s+unreachable=0\\s+failed=(\\d+)`).exec(out);

test('ansible-playbook is installed (.ci/run installs Debian\'s ansible-core)', () => {
  assert.ok(hasAnsible, 'ansible-playbook not found: apt-get install -y ansible-core');
});

test('one reviewed plan rolled over six nodes: moved, refused, reverted, each as before or after; then idempotent', async () => {
  if (!hasAnsible) return;
  const root = tmpDir('wso2update-fleet-');
  const { repo, tree0, tree1 } = makeRepository(root);
  // The channel: a private nginx on 127.0.0.1 serving the repository folder. Until this build reads http://
  // repositories (the HTTP channel), the nodes read the folder itself, and the refusal must be exactly that one.
  const nginx = await startNginx(join(root, 'nginx'), repo);
  try {
    await rollout(root, repo, tree0, tree1, nginx);
  } finally {
    await nginx.stop();
  }
});

async function rollout(root: string, repo: string, tree0: string, tree1: string, nginx: { url: string; accessLog: string; stop(): Promise<void> }) {
  const refusal = httpChannelRefusal(root, tree0, `${nginx.url}/`);
  if (refusal !== null) assert.match(refusal, 'over HTTP(S) are not supported yet');
  const repoUrl = refusal === null ? `${nginx.url}/` : repo;
  const s = buildScenario(root, { count: 6, repoUrl, tree0, mirrorOf: repo });
  const before: Record<string, Snap> = Object.fromEntries(s.names.map((n: string) => [n, snapshot(s.homes[n])]));
  const after: Snap = expectedAfter(snapshot, tree0, tree1);
  const summaryFile = join(root, 'summary.json');

  const wrong = await runPlaybook(root, rolloutArgs(s.inventory, s.plan.path, 'f'.repeat(64), { rollout_serial: 2 }));
  assert.is.not(wrong.code, 0);
  assert.match(wrong.out, `its digest is ${s.plan.digest}, the approved one is ${'f'.repeat(64)}`);
  for (const n of s.names) assert.is(level(s.homes[n]), 0, `${n} was touched by a rollout of an unapproved plan`);

  // Batches of two: [node01, node02 drifted] [node03 exit 2 first, node04 unhealthy] [node05, node06]; each batch
  // has one failure at most (50%), so the rollout goes on to the end.
  truncateSync(nginx.accessLog); // the rollout's traffic only
  const run = await runPlaybook(root, rolloutArgs(s.inventory, s.plan.path, s.plan.digest, { rollout_serial: 2, rollout_max_fail_percentage: 50, rollout_summary_file: summaryFile }));
  assert.is(run.code, 2, run.out); // ansible-playbook's "some hosts failed"
  const moved = s.names.filter((n: string) => n !== s.drifted && n !== s.unhealthy);
  for (const n of moved) {
    assert.equal(diffSnapshots(after, snapshot(s.homes[n])), [], `${n} is not exactly "after"`);
    assert.is(level(s.homes[n]), 1);
  }
  for (const n of [s.drifted, s.unhealthy]) {
    assert.equal(diffSnapshots(before[n], snapshot(s.homes[n])), [], `${n} is not exactly "before"`);
    assert.is(level(s.homes[n]), 0);
  }
  assert.is(readFileSync(join(s.homes[s.drifted], 'lib/org.wso2.carbon.core.jar'), 'utf8'), 'hotfixed by hand on this node\n');
  assert.match(logOf(s.homes[s.unhealthy]), '| probe: GET /api/am/gateway/health -> HTTP 503');
  // node05 looked running (a live pid) until its stop_cmd; node06 fetched from its mirror (apply --repo).
  assert.ok(moved.includes(s.running) && moved.includes(s.mirrored));
  if (refusal === null) {
    // Each node that applied fetched the update's blobs once from nginx, itself: not the drifted node (it refused
    // before fetching), not the mirrored one; the unhealthy one did (it applied, then was reverted).
    const fetching = s.names.filter((n: string) => n !== s.drifted && n !== s.mirrored);
    const served = servedBytes(nginx.accessLog, (path: string) => path.startsWith('/blobs/'));
    assert.is(served.bytes, fetching.length * updateBytes(s.plan.plan), JSON.stringify(served));
  }

  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { nodes: NodeResult[]; not_reached: string[]; lines: string[] };
  const by = Object.fromEntries(summary.nodes.map((r) => [r.host, r]));
  assert.equal(summary.not_reached, []);
  for (const n of moved) assert.is(by[n].outcome, 'moved', `${n}: ${JSON.stringify(by[n])}`);
  assert.is(by[s.drifted].outcome, 'refused');
  assert.is(by[s.drifted].rc, 5);
  assert.equal(by[s.drifted].paths, ['lib/org.wso2.carbon.core.jar']);
  assert.is(by[s.unhealthy].outcome, 'health-reverted');
  assert.is(by[s.unhealthy].rc, 8);
  assert.match(by[s.unhealthy].detail, 'HTTP 503');
  assert.match(by[s.selfUpdating].reason, 'run twice: the tool updated itself first');
  // Check first, stop second: the drifted node refused while still running (its stop_cmd never ran); the unhealthy
  // one was stopped, updated, reverted by its health check, and started again (start_cmd) on its old level.
  assert.not.ok(existsSync(events(root, s.drifted)), `${s.drifted} was stopped although its plan was refused`);
  assert.is(readFileSync(events(root, s.unhealthy), 'utf8'), 'stop\nstart\n');
  // The self-updating node's tool exited 2 at status, at the check and at apply: each was run once more.
  for (const kind of ['status', 'check', 'apply']) assert.ok(existsSync(join(root, `self-updated-${kind}`)), kind);
  // The same, as printed at the end of the run.
  assert.match(run.out, `moved to level 1 (4): ${moved.join(', ')}`);
  assert.match(run.out, `${s.drifted}: the pack changed since the plan was made: 1 path(s) are not as planned [lib/org.wso2.carbon.core.jar]`);
  assert.match(run.out, 'reverted by their health check (exit 8), back as before (1):');
  assert.match(run.out, `${s.unhealthy}: health check failed; reverted`);
  for (const n of [s.drifted, s.unhealthy]) assert.is(recap(run.out, n)?.[2], '1', `${n} should count as failed for max_fail_percentage`);

  // A second run over the updated nodes: nothing to do, no task reports a change, and the summary says so.
  const again = await runPlaybook(root, [...rolloutArgs(s.inventory, s.plan.path, s.plan.digest, { rollout_serial: 2 }), '--limit', ['localhost', ...moved].join(',')]);
  assert.is(again.code, 0, again.out);
  assert.match(again.out, `unchanged (already at level 1) (4): ${moved.join(', ')}`);
  assert.match(again.out, 'Nothing changed: every node was already at level 1.');
  for (const n of moved) {
    assert.is(recap(again.out, n)?.[1], '0', `${n} reported a change on the second run`);
    assert.equal(diffSnapshots(after, snapshot(s.homes[n])), []);
  }
}

test.run();
