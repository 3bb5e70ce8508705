#!/usr/bin/env node
// `npm run demo`: a guided tour on the sample pack, driving the real CLI as a new user would: adopt a customized
// pack, check, plan, review, apply through a conflict, resolve it, continue, look at the status, and revert.
// Every step states the exit code it expects; anything else (such as a command not built yet) stops the demo loudly.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { buildFixtures, BIN, ROOT, writeHome } from './build-fixtures.mjs';
import { findHelpers, snapshot, diffSnapshots } from './lib/tree-snapshot.mjs';

const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'wso2update-demo-'));
const HOME = 'wso2am-4.2.0';
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[0m` : s);
let stepNo = 0;

function header(title, why) {
  stepNo += 1;
  console.log(`\n${bold(`=== ${stepNo}. ${title} ${'='.repeat(Math.max(3, 70 - title.length))}`)}`);
  if (why) console.log(why.replace(/^/gm, '   '));
}

// `wso2update` on the PATH, as after `npm link`: the tool's hints then read `wso2update ...`, as the demo's lines do.
const pathBin = join(work, '.bin');
mkdirSync(pathBin);
symlinkSync(BIN, join(pathBin, 'wso2update'));
const env = { ...process.env, CI: '1', PATH: `${pathBin}${delimiter}${process.env.PATH ?? ''}` };

/** Runs `wso2update ...args` in the work folder, echoes its output, and fails the demo on an unexpected exit code. */
function wso2update(args, expect, meaning) {
  console.log(`\n$ wso2update ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', env });
  process.stdout.write(r.stdout);
  process.stdout.write(r.stderr);
  if (r.status !== expect) {
    throw new Error(`\`wso2update ${args[0]}\` exited ${r.status ?? r.signal}; the demo expects ${expect} (${meaning}).`);
  }
  console.log(`(exit ${r.status}: ${meaning})`);
  return r;
}

/** `wso2update serve` in the background (any free port on 127.0.0.1); the URL is the line it prints. */
let server = null;
function serve(dir) {
  const out = join(work, 'serve.out');
  server = spawn(process.execPath, [BIN, 'serve', '--repo', dir, '--port', '0'], { stdio: ['ignore', openSync(out, 'w'), 'ignore'] });
  for (let i = 0; i < 400; i++) {
    const m = /^(http:\/\/\S+)$/m.exec(readFileSync(out, 'utf8'));
    if (m) return m[1];
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
  }
  throw new Error('`wso2update serve` printed no URL');
}

function ensureBuilt() {
  if (existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) return;
  console.log('dist/ is missing; building it with tsc first.');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the TypeScript build failed (see above)');
}

function expectKinds(planFile) {
  const plan = JSON.parse(readFileSync(planFile, 'utf8'));
  const kinds = new Set(plan.actions.map((a) => a.action));
  const missing = ['add', 'replace', 'remove', 'merge', 'conflict'].filter((k) => !kinds.has(k));
  if (missing.length) throw new Error(`the plan has no ${missing.join(', ')} action: the fixtures no longer show every kind`);
}

function run() {
  ensureBuilt();
  header('A repository with four levels of wso2am-4.2.0', 'The vendor side: each level is a full product tree, recorded with `wso2update publish --keys`, which signs\nthe channel with TUF (keys from `wso2update keygen`). The demo builds them from fixtures/sample/ into a temporary folder:');
  const fx = buildFixtures(join(work, 'fixtures'));
  console.log(`   ${work}\n   fixtures/repo   levels ${fx.levels.join(', ')} (published with the real CLI)`);

  header('An installed pack at level 0, customized by its operator', `${HOME}/ is a copy of level 0 where the operator:
- set [server] hostname and the admin password in repository/conf/deployment.toml (the update edits other lines)
- raised the log rotation size in log4j2.properties to 50MB (level 3 sets the same line to 20MB)
- patched org.wso2.carbon.apimgt.impl_9.28.116.jar (level 2 ships a new one)
- tuned master-datasources.xml (no level touches it) and dropped a jar of their own into dropins/`);
  writeHome(join(work, HOME), { customize: true });

  header('serve: the signed repository over HTTP', 'Any static web server will do (nginx, a CDN); `wso2update serve` is the small one for demos.');
  const url = serve(join(work, 'fixtures', 'repo'));
  console.log(`   $ wso2update serve --repo fixtures/repo --port 0\n   ${url}`);

  header('init: adopt the pack', 'Records product, level, repository (the URL), a lineage id and serial 0 under updates/, and pins the\nchannel\'s TUF root: from now on every command verifies the signed metadata before it reads anything.');
  wso2update(['init', '--home', HOME, '--repo', url, '--trust-root', 'fixtures/repo/metadata/1.root.json'], 0, 'adopted');

  header('check: are there newer levels?');
  wso2update(['check', '--home', HOME], 10, 'updates are available');

  header('plan: what would change, and why', 'Reads only the paths the levels change; nothing on disk is modified.');
  wso2update(['plan', '--home', HOME, '--out', 'plan.json'], 3, 'the plan holds conflicts to resolve');
  expectKinds(join(work, 'plan.json'));

  header('show: review the plan', 'The change ticket: summary, every action, the diffs of merges and conflicts, and the notes of the\nlevels crossed. Secrets, such as the keystore passwords beside level 3\'s edit, are masked (--reveal-secrets).');
  const shown = wso2update(['show', 'plan.json'], 0, 'shown');
  for (const secret of ['S3cret-Operator-Pass', 'password = "wso2carbon"']) {
    if (shown.stdout.includes(secret)) throw new Error(`show printed a secret unmasked: ${secret}`);
  }
  const before = snapshot(join(work, HOME));

  header('apply: land the plan', 'Everything but the conflicts is applied; each conflicted file keeps the operator version,\nwith <file>.original (level 0) and <file>.new (level 3) beside it. Exit 3 means: resolve, then --continue.');
  wso2update(['apply', 'plan.json', '--home', HOME, '--yes'], 3, 'conflicts need resolution');
  const helpers = findHelpers(join(work, HOME));
  console.log(`\nHelper files left for the operator:\n${helpers.map((p) => `   ${HOME}/${p}`).join('\n')}`);
  if (!helpers.length) throw new Error('apply exited 3 but left no .original/.new files');

  const conf = join(work, HOME, 'repository/conf/log4j2.properties');
  const sizeLine = (f) => readFileSync(f, 'utf8').split('\n').find((l) => l.includes('policies.size.size'));
  console.log('\nThe conflicting line of log4j2.properties in its three versions:');
  for (const [what, f] of [['yours (installed)', conf], ['.original (level 0)', `${conf}.original`], ['.new (level 3)', `${conf}.new`]]) {
    console.log(`   ${what.padEnd(20)} ${sizeLine(f)}`);
  }

  header('Resolve the conflicts by writing <file>.final', "- log4j2.properties: keep the operator's 50MB (their file, as it is on disk)\n- the impl jar: take the vendor's jar (<file>.new) and re-apply the patch later");
  writeFileSync(`${conf}.final`, readFileSync(conf));
  const jar = join(work, HOME, 'repository/components/plugins/org.wso2.carbon.apimgt.impl_9.28.116.jar');
  copyFileSync(`${jar}.new`, `${jar}.final`);
  console.log('   wrote log4j2.properties.final and org.wso2.carbon.apimgt.impl_9.28.116.jar.final');

  header('apply --continue: install the .final files and commit');
  wso2update(['apply', '--continue', '--home', HOME, '--yes'], 0, 'applied');
  if (findHelpers(join(work, HOME)).length) throw new Error('helper files are still there after --continue');
  const changelog = join(work, HOME, 'updates', 'changelog-0000-0003.md');
  if (!existsSync(changelog)) throw new Error('apply wrote no updates/changelog-0000-0003.md');
  console.log(`\n${HOME}/updates/changelog-0000-0003.md (as WSO2's tool writes it):\n${readFileSync(changelog, 'utf8').trimEnd().replace(/^/gm, '   ')}`);

  header('status: level, lineage and kept generations');
  wso2update(['status', '--home', HOME], 0, 'status shown');

  header('revert: undo the update', `Restores every replaced or removed file from the kept generation; exit 4 is WSO2's code for "reverted".`);
  wso2update(['revert', '--home', HOME, '--yes'], 4, 'reverted');
  const drift = diffSnapshots(before, snapshot(join(work, HOME)));
  if (drift.length) throw new Error(`after revert the pack differs from before apply:\n${drift.join('\n')}`);
  console.log('\nThe pack is byte-identical to before the apply (contents, modes, symlinks, user files).');
  wso2update(['status', '--home', HOME], 0, 'status shown');
}

let code = 0;
try {
  run();
  server?.kill();
  console.log(`\n${bold('Demo finished: every step gave the exit code it should.')}`);
} catch (err) {
  code = 1;
  server?.kill();
  console.error(`\nDEMO FAILED at step ${stepNo}: ${err.message}\nThe work folder is kept for inspection: ${work}`);
}
if (code === 0 && !keep) rmSync(work, { recursive: true, force: true });
else if (code === 0) console.log(`Work folder kept: ${work}`);
process.exit(code);
