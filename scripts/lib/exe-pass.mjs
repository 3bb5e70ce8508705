// The executable pass of `npm test` (issue 17): every test file that runs the CLI runs a second time against the
// Linux single executable, the form operators run, with WSO2UPDATE_TEST_EXE naming it (test/helpers/tmp.ts reads
// it) and self-update off. A file that must drive the checkout says why in one line: `// test-needs-checkout: WHY`.
import { spawnSync } from 'node:child_process';
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
 * Returns its path, or throws with the build's error.
 */
export function buildExe(root) {
  const script = "import('./test/helpers/sea.ts').then((m) => process.stdout.write(m.seaRelease()))";
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the Linux executable failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  return join(r.stdout.trim(), 'wso2update_linux');
}
