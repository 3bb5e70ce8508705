// The executable pass of `npm test` (issue 17): every test file that runs the CLI runs a second time against the
// Linux single executable, the form operators run, with WSO2UPDATE_TEST_EXE naming it (test/helpers/tmp.ts reads
// it) and self-update off. A file that must drive the checkout says why in one line: `// test-needs-checkout: WHY`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The marker line, read by exePass: a reason is required, so that no file opts out without saying why. */
export const CHECKOUT_MARKER = /^\/\/ test-needs-checkout: \S.*$/m;
/** The test helpers that run the CLI under test: a file that uses none of them never starts it. */
const RUNS_CLI = /\b(runCli|spawnCli|installCli|cliArgv|CLI_LINE|CLI_ARGV)\b/;

/** Does the test file with this text run in the executable pass? */
export const exePass = (text) => RUNS_CLI.test(text) && !CHECKOUT_MARKER.test(text);

/**
 * The Linux executable of the current sources: test/helpers/sea.ts's build, cached under TMPDIR while src/ is
 * unchanged (`node scripts/dist.mjs --platforms linux-x64`), so the test files that build it too find it made.
 * The run uses its own hard link (a copy across file systems) in a folder of its own, removed by `release`: the
 * cache keeps only its newest builds, and the release tests' builds of other versions and platforms pruned the one
 * this run was using halfway through it. Alone in its folder, it also runs the code built into it, as installed.
 */
export function buildExe(root) {
  const script = "import('./test/helpers/sea.ts').then((m) => process.stdout.write(m.seaRelease()))";
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the Linux executable failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'wso2update-exe-pass-'));
  const exe = join(dir, 'wso2update_linux');
  try {
    linkSync(join(r.stdout.trim(), 'wso2update_linux'), exe);
  } catch {
    copyFileSync(join(r.stdout.trim(), 'wso2update_linux'), exe);
  }
  return { exe, release: () => rmSync(dir, { recursive: true, force: true }) };
}
