// The sample fixtures are what the demo and the CLI tests stand on: levels 0..3 built, published with the real
// CLI, and shaped so a plan from a customized level 0 to level 3 has every kind of action.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, levelTrees, writeHome } from '../scripts/build-fixtures.mjs';
import { runCli, tmpDir } from './helpers/tmp.js';

type Tree = Map<string, { kind: string; mode?: string; data?: Buffer; target?: string }>;
const { product, levels } = levelTrees() as { product: string; levels: { level: number; tree: Tree }[] };

function changes(a: Tree, b: Tree) {
  const out = { added: [] as string[], removed: [] as string[], modified: [] as string[], chmod: [] as string[] };
  for (const [p, e] of b) {
    const o = a.get(p);
    if (!o) out.added.push(p);
    else if (o.data && e.data && !o.data.equals(e.data)) out.modified.push(p);
    else if (o.mode !== e.mode) out.chmod.push(p);
  }
  for (const p of a.keys()) if (!b.has(p)) out.removed.push(p);
  return out;
}

test('levels 0..3 exist and each level changes something', () => {
  assert.equal(product, 'wso2am-4.2.0');
  assert.equal(levels.map((l) => l.level), [0, 1, 2, 3]);
  assert.ok(levels[0].tree.size >= 30, `a few dozen files, got ${levels[0].tree.size}`);
  for (let i = 1; i < levels.length; i++) {
    const c = changes(levels[i - 1].tree, levels[i].tree);
    assert.ok(c.added.length + c.removed.length + c.modified.length + c.chmod.length > 0, `level ${i} changes nothing`);
  }
});

test('0 -> 3 adds, replaces, removes, edits text and changes a mode', () => {
  const c = changes(levels[0].tree, levels[3].tree);
  assert.ok(c.added.includes('repository/components/plugins/json-smart_2.4.10.jar'));
  assert.ok(c.removed.includes('repository/components/plugins/json-smart_2.4.7.jar'));
  assert.ok(c.removed.includes('repository/deployment/server/webapps/shindig.war'));
  for (const p of ['repository/conf/deployment.toml', 'repository/conf/log4j2.properties', 'repository/components/plugins/org.wso2.carbon.apimgt.impl_9.28.116.jar']) {
    assert.ok(c.modified.includes(p), `${p} modified`);
  }
  assert.equal(c.chmod, ['bin/wso2server.sh']);
  assert.not.ok(levels[3].tree.has('bin/wso2update_linux'), 'the tool binary is not shipped by levels');
});

test('a customized home: WSO2 identity files, runtime data, the operator edits, modes and the symlink', () => {
  const home = writeHome(join(tmpDir('fixtures-home'), 'home'), { customize: true });
  assert.is(readFileSync(join(home, 'updates/product.txt'), 'utf8').trim(), 'wso2am-4.2.0');
  const config = JSON.parse(readFileSync(join(home, 'updates/config.json'), 'utf8'));
  assert.is(config['update-level'], '0');
  assert.is(config.product.pattern, 'wso2am-4.2.0');
  const toml = readFileSync(join(home, 'repository/conf/deployment.toml'), 'utf8');
  assert.ok(toml.includes('hostname = "apim.example.com"'));
  assert.ok(readFileSync(join(home, 'repository/conf/log4j2.properties'), 'utf8').includes('size.size = 50MB'));
  assert.ok(existsSync(join(home, 'repository/components/dropins/com.example.custom-handler_1.0.0.jar')), 'user file');
  assert.ok(existsSync(join(home, 'repository/logs/wso2carbon.log')), 'runtime data');
  assert.is(lstatSync(join(home, 'bin/api-manager.sh')).mode & 0o777, 0o755);
  assert.is(readlinkSync(join(home, 'bin/apimanager')), 'api-manager.sh');
  const jar = readFileSync(join(home, 'repository/components/plugins/org.wso2.carbon.apimgt.impl_9.28.116.jar'));
  assert.is(jar.readUInt32LE(0), 0x04034b50, 'jars are real zips');
});

test('the trees are deterministic: a second materialisation gives the same bytes', () => {
  const again = (levelTrees() as { levels: { tree: Tree }[] }).levels;
  for (const [i, { tree }] of levels.entries()) {
    assert.equal([...again[i].tree.keys()], [...tree.keys()]);
    for (const [p, e] of tree) assert.ok(e.kind === 'symlink' || again[i].tree.get(p)!.data!.equals(e.data!), `level ${i} ${p}`);
  }
});

test('buildFixtures publishes levels 0..3 with the real CLI', async () => {
  const a = buildFixtures(join(tmpDir('fixtures-build'), 'out'));
  assert.equal(a.levels, [0, 1, 2, 3]);
  for (const l of a.levels) assert.ok(existsSync(join(a.trees[l], 'updates/config.json')));
  const { openRepository } = await import('../src/channel/open.js');
  const ra = await openRepository(a.repo);
  assert.equal(await ra.levels(product), [0, 1, 2, 3]);
  for (const l of a.levels) {
    const paths = Object.keys((await ra.manifest(product, l)).manifest.files);
    assert.is(paths.length, levels[l].tree.size, `level ${l}: every shipped path and nothing else`);
    assert.not.ok(paths.some((p) => p.startsWith('updates/') || p.startsWith('repository/logs/') || p.startsWith('repository/database/')), 'runtime left out');
  }
  const m0 = (await ra.manifest(product, 0)).manifest.files;
  assert.equal(m0['bin/apimanager'], { kind: 'symlink', target: 'api-manager.sh' });
  assert.is((m0['bin/api-manager.sh'] as { mode: string }).mode, '0755');
  const d1 = await ra.descriptor(product, 1);
  assert.ok(d1.securityAdvisories.some((s: { severity: string }) => s.severity === 'high'));
  assert.ok(d1.changes.added.includes('repository/components/plugins/json-smart_2.4.10.jar'));
});

test('a customized level-0 home planned to level 3 shows every action kind the demo relies on', async () => {
  const dir = tmpDir('fixtures-plan');
  const fx = buildFixtures(join(dir, 'fx'));
  const home = writeHome(join(dir, 'home'), { customize: true });
  const init = await runCli(['init', '--home', home, '--repo', fx.repo, '--trust-root', fx.root]);
  assert.is(init.code, 0, init.stderr);
  const plan = await runCli(['plan', '--home', home, '--out', join(dir, 'plan.json')]);
  assert.is(plan.code, 3, `conflicts under stop exit 3\n${plan.stderr}`);
  const actions: { path: string; action: string; reason?: string }[] = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).actions;
  const kind = (p: string) => actions.find((a) => a.path === p);
  assert.is(kind('repository/components/plugins/json-smart_2.4.10.jar')?.action, 'add');
  assert.is(kind('repository/components/plugins/json-smart_2.4.7.jar')?.action, 'remove');
  assert.is(kind('repository/components/plugins/org.wso2.carbon.apimgt.gateway_9.28.116.jar')?.action, 'replace');
  assert.is(kind('repository/conf/deployment.toml')?.action, 'merge');
  assert.is(kind('repository/conf/log4j2.properties')?.reason, 'text-overlap');
  assert.is(kind('repository/components/plugins/org.wso2.carbon.apimgt.impl_9.28.116.jar')?.reason, 'binary-customized');
  assert.is(kind('bin/wso2server.sh')?.action, 'chmod');
  assert.is(kind('repository/conf/datasources/master-datasources.xml'), undefined, 'a customization the update does not touch');
  assert.not.ok(actions.some((a) => a.path.startsWith('repository/components/dropins/com.example')), 'user files are never touched');
});

test.run();
