// The command table: each command's arguments, options with their meaning, one example and its exit codes, in one
// place, so that the parser (main.ts registers cac from it), `--help`, and "did you mean" can never disagree.
import type { CommandHelp, OptionHelp } from '../ui/help.js';
import type { CommandRun } from './context.js';
import { EXPIRY_OPTIONS } from './signing.js';

export interface CommandSpec extends CommandHelp {
  load: () => Promise<{ run: CommandRun }>;
}

const home: OptionHelp = { flags: '--home <dir>', meaning: 'Product home (default: the parent of bin/ when run there, else the current folder)' };
const json: OptionHelp = { flags: '--json', meaning: 'Also print the result as JSON on stdout (for scripts)' };
const level = (what: string): OptionHelp => ({ flags: '--level <n>', meaning: `${what}: a whole number, or WSO2's <version>.<level> such as 4.2.0.3` });
const repo = (what: string): OptionHelp => ({ flags: '--repo <url|dir>', meaning: what });
const template: OptionHelp = { flags: '--template <go-template>', meaning: 'WSO2-style lists on stdout: {{.Added}} {{.Modified}} {{.Removed}} {{.Conflicts}}' };
const policy = (when: string): OptionHelp => ({
  flags: '--on-conflict <policy>',
  meaning: `${when}stop (apply waits for your <file>.final), keep-mine (your file stays) or take-theirs (the update's is installed, or the file removed where the update removes it)`,
});

/**
 * Every command that reads a repository takes these (HTTP(S) channels). The one list of them: cli/transport-options.ts
 * reads their values and takes their defaults from here, so help and behaviour cannot disagree.
 */
export const NETWORK_OPTIONS: readonly OptionHelp[] = [
  { flags: '--ca-file <pem>', meaning: 'Trust this CA for https (beside the system CAs and NODE_EXTRA_CA_CERTS)' },
  { flags: '--allow-http', meaning: 'Allow plain http to hosts other than this machine' },
  { flags: '--parallel <n>', meaning: 'Parallel downloads', default: '8' },
  { flags: '--connect-timeout <seconds>', meaning: 'Give up connecting after this long', default: '15' },
  { flags: '--read-timeout <seconds>', meaning: 'Give up on a silent server after this long', default: '30' },
  { flags: '--username <user>', meaning: 'Repository user name (WSO2: -u; else UPDATE_TOOL_USERNAME)' },
  { flags: '--password <password>', meaning: 'Repository password (WSO2: -p; else UPDATE_TOOL_PASSWORD, else asked on a terminal)' },
];
const pin = (what: string): OptionHelp[] => [
  { flags: '--trust-root <root.json>', meaning: `${what} this TUF root (from the publisher, checked out of band)` },
  { flags: '--trust-root-sha256 <hex>', meaning: `${what} the repository's metadata/1.root.json if its sha256 is this` },
];
/** Signed approvals (issue 23): how many distinct approvers, from which allowed_signers file, and extra signature files. */
const approvalGate = (what: string): OptionHelp[] => [
  { flags: '--require-approvals <n>', meaning: `${what}N distinct approvers (with --allowed-signers)` },
  { flags: '--allowed-signers <file>', meaning: 'OpenSSH allowed_signers file of the approvers (principals, options, key)' },
  { flags: '--approval <file.sig>', meaning: 'A signature file beyond PLAN.sig and PLAN.approvals/*.sig (repeatable)' },
];
const acceptExpired: OptionHelp = { flags: '--accept-expired', meaning: 'Offline bundles: accept signed metadata that expired after the bundle was made (never unsigned, never older than seen)' };
const expiry: OptionHelp[] = EXPIRY_OPTIONS.map(([flags, meaning]) => ({ flags, meaning }));

const BUSY: [number, string] = [6, 'busy: the product is running, another update runs, or an interrupted run needs `recover`'];
const ERROR: [number, string] = [1, 'error (bad input, not a product home, I/O); nothing was changed'];
const INTERRUPTED: [number, string] = [130, 'interrupted (143: SIGTERM) before the commit point; everything was rolled back'];

export const GLOBAL_OPTIONS: OptionHelp[] = [
  { flags: '-h, --help', meaning: 'Show this help' },
  { flags: '--version', meaning: 'Print the tool version' },
  { flags: '--no-self-update', meaning: 'Do not update the single executable first (also: WSO2UPDATE_NO_SELF_UPDATE=1)' },
];

export const COMMANDS: CommandSpec[] = [
  {
    name: 'init', summary: 'Adopt a pack: record its product, level and repository (once per pack)',
    options: [home, repo('Repository (update channel) of this product'), level('Current level (default: "update-level" of updates/config.json, else 0)'),
      { flags: '--keep-generations <n>', meaning: 'How many applies revert can undo (older generations are pruned)', default: '3' }, json,
      ...pin('Pin'), { flags: '--allow-unsigned', meaning: 'Accept a repository without TUF metadata (recorded; status shows it)' },
      { flags: '--require-approvals <n>', meaning: 'Record an approval policy: every later apply, revert and hotfix plan needs N distinct approvers (see `policy`)' },
      { flags: '--allowed-signers <file>', meaning: 'With --require-approvals: who may approve (an OpenSSH allowed_signers file)' },
      { flags: '--reconfigure', meaning: 'On an adopted pack: record another repository (a new URL, a mirror, a bundle); the trust is kept unless a root is given' }, ...NETWORK_OPTIONS],
    example: 'wso2update init --home /opt/wso2am-4.2.0 --repo /srv/wso2-updates --trust-root root.json',
    exits: [[0, 'adopted'], ERROR, BUSY, [7, "verification failed: the repository's manifest does not match its digest"]],
    load: () => import('./commands/init.js'),
  },
  {
    name: 'publish', summary: 'Record a full product tree as a level in a repository (the vendor side)',
    options: [{ flags: '--repo <dir>', meaning: 'Repository folder (created when missing)' }, { flags: '--product <name-version>', meaning: 'Product and version, e.g. wso2am-4.2.0' },
      { flags: '--level <n>', meaning: 'Level number (levels must increase)' }, { flags: '--tree <dir>', meaning: 'The full product tree at that level' },
      { flags: '--notes <file.yaml>', meaning: 'Title, date, description, fixes and security advisories' },
      { flags: '--exclude <glob>', meaning: 'Extra paths to leave out (repeatable)' }, { flags: '--date <yyyy-mm-dd>', meaning: 'Release date (default: the notes, else today)' }, json,
      { flags: '--keys <dir>', meaning: 'Sign with the TUF keys in this folder (made by keygen)' },
      { flags: '--refresh-timestamp', meaning: 'Only re-sign metadata/timestamp.json (with --keys; for a cron job)' }, ...expiry],
    example: 'wso2update publish --repo ./repo --product wso2am-4.2.0 --level 1 --tree ./wso2am-4.2.0-u1 --notes level1.yaml',
    exits: [[0, 'published (or already published with this content)'], [1, 'error (bad input, a level that does not increase); the repository was not changed']],
    load: () => import('./commands/publish.js'),
  },
  {
    name: 'plan', summary: 'Compare the pack with a level and write a plan to review (nothing in the pack changes)',
    options: [home, repo('Repository (default: the one recorded at init)'), level('Target level (default: the latest)'),
      { flags: '--dry-run', meaning: 'Show the plan and write no file (WSO2\'s --dry-run leaves no trace) unless --out is given' },
      { flags: '--out <file>', meaning: 'Plan file (default: wso2update.plan.json here, or in updates/wso2update/ when run inside the pack)' }, json,
      { ...policy('What apply does with conflicts: '), default: 'stop' },
      { flags: '--portable', meaning: 'One plan for a fleet of identical nodes (each node checks it against its own files)' }, template,
      { flags: '--detailed-exitcode', meaning: 'Exit 10 when the plan has changes' },
      { flags: '--yes', meaning: 'Accepted for WSO2 habits (`--dry-run --yes`); plan never asks' },
      { flags: '--bundle <file.tar>', meaning: 'Plan from an offline bundle (made by create-update) instead of the repository' }, acceptExpired, ...NETWORK_OPTIONS],
    example: 'wso2update plan --home /opt/wso2am-4.2.0 --out plan.json',
    exits: [[0, 'plan written (also when it has no changes)'], ERROR, [3, 'plan written; it has conflicts that apply will stop on'], BUSY,
      [7, 'verification failed: the repository does not match its digests'], [10, 'with --detailed-exitcode: the plan has changes']],
    load: () => import('./commands/plan.js'),
  },
  {
    name: 'show', args: '<plan>', summary: 'Show a plan for review: text, a Markdown change ticket, or JSON',
    options: [json, { flags: '--markdown', meaning: 'A change ticket in Markdown (digest, levels, advisories, files, diffs)' },
      { flags: '--html', meaning: 'The review page: one self-contained HTML file (no script, no URL) for a change board' },
      { flags: '--out <file>', meaning: 'With --html: write the page to FILE (default: stdout)' },
      ...approvalGate('With --html: show the approvals present and missing against '),
      { flags: '--reveal-secrets', meaning: 'Print secret values instead of masking them' }],
    example: 'wso2update show plan.json --html --out change-42.html',
    exits: [[0, 'shown'], [1, 'not a plan file, or a plan that was edited or damaged']],
    load: () => import('./commands/show.js'),
  },
  {
    name: 'apply', args: '[plan]', summary: 'Apply a reviewed plan (without one: plan, show the summary, ask, apply)',
    options: [home, { flags: '--yes', meaning: 'Do not ask (needed when there is no terminal to ask on)' },
      { flags: '--continue', meaning: 'Install the <file>.final files of a conflicted apply and finish it' },
      { flags: '--expect-digest <sha256>', meaning: 'Refuse any plan but the approved one' },
      { flags: '--check-only', meaning: 'With PLAN: make every check apply makes, write nothing, exit as apply would refuse (not the lock or a running product)' },
      { flags: '--no-changelog', meaning: 'Do not write updates/changelog-<from>-<to>.md' },
      repo('Repository when apply plans; beside a plan file, a mirror of the same content (checked by digest)'), level('Target level (only when apply plans)'), policy('Only when apply plans: '), json, template,
      { flags: '--health-cmd <cmd>', meaning: 'After the commit, run CMD in the product home; if it fails or times out, revert at once and exit 8' },
      { flags: '--health-timeout <seconds>', meaning: 'How long the health check may take', default: '300' }, ...approvalGate('Refuse the plan (exit 7) unless approved as '), acceptExpired, ...NETWORK_OPTIONS],
    example: 'wso2update apply plan.json --home /opt/wso2am-4.2.0',
    exits: [[0, 'applied, or no changes'], [1, 'error; nothing was changed, or everything was rolled back'], [3, 'applied except the conflicts, which wait for your .final files'],
      [5, 'stale plan: the pack changed since planning, the plan was already applied, or it is for another pack'], BUSY,
      [7, 'verification failed: a blob or manifest does not match its sha256, the plan is not the approved one, or it lacks the approvals the pack\'s policy (or --require-approvals) needs'],
      [8, 'applied, but the --health-cmd check failed, so the update was reverted'], INTERRUPTED],
    load: () => import('./commands/apply.js'),
  },
  {
    name: 'approve', args: '<plan>', summary: 'Approve a plan: sign its exact bytes with your SSH key (ssh-keygen -Y sign -n wso2update-plan)',
    options: [{ flags: '--key <file>', meaning: 'Your SSH private key, or its .pub with the private half in ssh-agent' },
      { flags: '--out <file.sig>', meaning: 'Where to write the signature (default: PLAN.approvals/<key>.sig)' },
      { flags: '--allowed-signers <file>', meaning: 'Also print the tally against this allowed_signers file' },
      { flags: '--require-approvals <n>', meaning: 'With --allowed-signers: how many are needed' }],
    example: 'wso2update approve change-42.plan.json --key ~/.ssh/id_ed25519',
    exits: [[0, 'signed'], [1, 'not a plan file, no ssh-keygen, or the key could not sign'], [7, 'ssh-keygen wrote a signature that does not verify']],
    load: () => import('./commands/approve.js'),
  },
  {
    name: 'approvals', args: '<plan>', summary: 'Check a plan\'s approvals without a pack (a controller before a rollout, a CI gate)',
    options: [...approvalGate('Approved means '), json],
    example: 'wso2update approvals change-42.plan.json --require-approvals 2 --allowed-signers allowed_signers',
    exits: [[0, 'approved'], [1, 'not a plan file, or an unreadable allowed_signers file'], [7, 'not approved: who approved and what is missing are named']],
    load: () => import('./commands/approvals.js'),
  },
  {
    name: 'policy', summary: 'Show or record the pack\'s approval policy (every later apply needs it, without flags)',
    options: [home, { flags: '--require-approvals <n>', meaning: 'Distinct approvers every apply, revert and hotfix plan needs (0: none)' },
      { flags: '--allowed-signers <file>', meaning: 'Who may approve (an OpenSSH allowed_signers file; the pack keeps a copy)' },
      { flags: '--request <file>', meaning: 'Lowering the policy: the change request the current approvers sign', default: 'wso2update.policy-change.json' },
      { flags: '--approval <file.sig>', meaning: 'A signature of the change request beyond REQUEST.sig and REQUEST.approvals/*.sig (repeatable)' }, json],
    example: 'wso2update policy --home /opt/wso2am-4.2.0 --require-approvals 2 --allowed-signers allowed_signers',
    exits: [[0, 'shown, recorded, or unchanged'], ERROR, BUSY, [7, 'lowering the policy needs the current approvers (the change request to sign is written), or they did not all sign']],
    load: () => import('./commands/policy.js'),
  },
  {
    name: 'audit', summary: 'Show the pack\'s audit trail: who applied, reverted or was refused what, under whose approval',
    options: [home, { flags: '--verify', meaning: 'Check the hash chain; exit 7 naming the first edited, removed, reordered or missing record' }, { ...json, meaning: 'JSON lines, each record as stored (for a SIEM)' },
      { flags: '--since <date>', meaning: 'Only records from this date (YYYY-MM-DD, UTC) or ISO time' }],
    example: 'wso2update audit --home /opt/wso2am-4.2.0 --verify',
    exits: [[0, 'shown; with --verify: the trail is intact'], ERROR, [7, 'the trail is not intact: the first bad record is named']],
    load: () => import('./commands/audit.js'),
  },
  {
    name: 'create-update', summary: 'Write an offline bundle (one tar) that updates a pack from level L1..L2 to L2 without a repository',
    options: [{ flags: '-s, --from <level>', meaning: 'The lowest level a pack may be at (WSO2: -s)' }, { flags: '-e, --to <level>', meaning: 'The level the bundle updates to (WSO2: -e)' },
      { flags: '--out <file.tar>', meaning: 'The bundle to write (replaced atomically)' },
      repo('Repository to read (default: the one of the pack at --home or here)'), { flags: '--product <name-version>', meaning: 'Product (default: the pack\'s)' },
      { ...home, meaning: 'An adopted pack whose product, repository and pinned root are the defaults' }, ...pin('Verify the repository against'), json, ...NETWORK_OPTIONS],
    example: 'wso2update create-update --home /opt/wso2am-4.2.0 --from 1 --to 3 --out wso2am-4.2.0-1-3.tar',
    exits: [[0, 'bundle written (and read back: it verifies)'], [1, 'error (bad levels, a missing level or blob); nothing was written'],
      [7, 'verification failed: the repository is unsigned or does not match its signed metadata']],
    load: () => import('./commands/create-update.js'),
  },
  {
    name: 'apply-update', args: '<bundle>', summary: 'Update from an offline bundle: plan, show the summary, ask, apply (WSO2\'s apply-update)',
    options: [home, { flags: '--yes', meaning: 'Do not ask (needed when there is no terminal to ask on)' }, level('Target level (default: the bundle\'s last)'),
      policy('What to do with conflicts: '), acceptExpired, { flags: '--expect-digest <sha256>', meaning: 'Refuse any plan but the approved one' },
      { flags: '--no-changelog', meaning: 'Do not write updates/changelog-<from>-<to>.md' }, json, template,
      { flags: '--health-cmd <cmd>', meaning: 'After the commit, run CMD in the product home; if it fails or times out, revert at once and exit 8' },
      { flags: '--health-timeout <seconds>', meaning: 'How long the health check may take', default: '300' }],
    example: 'wso2update apply-update wso2am-4.2.0-1-3.tar --home /opt/wso2am-4.2.0',
    exits: [[0, 'applied, or no changes'], [1, 'error (a bundle for another product or level); nothing was changed'], [3, 'applied except the conflicts, which wait for your .final files'], BUSY,
      [7, 'verification failed: a hostile or damaged archive, unsigned, signed by other keys, expired, or older than the pack has seen'],
      [8, 'applied, but the --health-cmd check failed, so the update was reverted']],
    load: () => import('./commands/apply-update.js'),
  },
  {
    name: 'revert', summary: 'Undo the last apply (or several, with --to-level), restoring the files it replaced',
    options: [home, { flags: '--to-level <n>', meaning: 'Revert through kept generations down to this level' },
      { flags: '--dry-run', meaning: 'Show the revert plan (what revert would undo) and change nothing' },
      { flags: '--out <file>', meaning: 'Write the revert plan to FILE for review (`show FILE`) and change nothing; `apply FILE` runs it' },
      { flags: '--yes', meaning: 'Do not ask (needed when there is no terminal to ask on)' },
      { flags: '--force', meaning: 'Revert even where updated files were edited since (the edits are kept in a new generation)' }, json, ...NETWORK_OPTIONS],
    example: 'wso2update revert --home /opt/wso2am-4.2.0',
    exits: [[4, 'reverted'], [0, 'nothing was reverted: --dry-run, or the question was answered no'], [1, 'error, or nothing to revert; nothing was changed'],
      [5, 'files the update wrote were edited since (use --force to keep them in a generation)'], BUSY, INTERRUPTED],
    load: () => import('./commands/revert.js'),
  },
  {
    name: 'publish-hotfix', summary: 'Record a hotfix of one published level in a repository (the support side)',
    options: [{ flags: '--repo <dir>', meaning: 'Repository folder' }, { flags: '--product <name-version>', meaning: 'Product and version, e.g. wso2am-4.2.0' },
      { flags: '--level <n>', meaning: 'The published level the hotfix goes on' }, { flags: '--id <id>', meaning: 'Hotfix id: <VENDOR>-HF-<YEAR>-<SERIAL>, e.g. WSO2-HF-2026-0042' },
      { flags: '--tree <dir>', meaning: 'The patched files (or the whole patched pack: only what differs from the level is taken)' },
      { flags: '--files <paths>', meaning: 'Only these paths of --tree (comma-separated, repeatable)' },
      { flags: '--remove <path>', meaning: 'A shipped path the hotfix deletes (repeatable)' },
      { flags: '--title <text>', meaning: 'One line on what it fixes' }, { flags: '--description <text>', meaning: 'More on the fix' },
      { flags: '--notes <file.yaml>', meaning: 'Title, date and description from a notes file' }, { flags: '--date <yyyy-mm-dd>', meaning: 'Release date (default: today)' },
      { flags: '--keys <dir>', meaning: 'Sign with the TUF keys in this folder (needed for a signed repository)' }, json, ...expiry],
    example: 'wso2update publish-hotfix --repo ./repo --keys ./keys --product wso2am-4.2.0 --level 3 --id WSO2-HF-2026-0042 --tree ./fix',
    exits: [[0, 'published (or already published with this content)'], [1, 'error (bad id, unknown level, a fix that changes nothing); the repository was not changed']],
    load: () => import('./commands/publish-hotfix.js'),
  },
  {
    name: 'create-hotfix', summary: 'Write a hotfix archive (one signed tar) for a site with no channel',
    options: [repo('The channel the hotfix is published in'), { flags: '--product <name-version>', meaning: 'Product and version, e.g. wso2am-4.2.0' },
      { flags: '--id <id>', meaning: 'The hotfix id, e.g. WSO2-HF-2026-0042' }, { flags: '--out <file.tar>', meaning: 'The archive to write (same inputs, same bytes)' },
      ...pin('Verify the channel against'), json, ...NETWORK_OPTIONS],
    example: 'wso2update create-hotfix --repo /srv/wso2-updates --product wso2am-4.2.0 --id WSO2-HF-2026-0042 --out WSO2-HF-2026-0042.tar --trust-root root.json',
    exits: [[0, 'written and verified'], ERROR, [7, 'verification failed: the channel is not what its signed metadata says']],
    load: () => import('./commands/create-hotfix.js'),
  },
  {
    name: 'apply-hotfix', args: '<id|file>', summary: 'Plan a hotfix like an update (same planner, merges, conflicts), show it, ask, apply it',
    options: [home, repo('Repository to read the hotfix id from (default: the one recorded at init); or give FILE, a hotfix archive'),
      { ...policy('What apply does with conflicts: '), default: 'stop' }, { flags: '--yes', meaning: 'Do not ask (needed when there is no terminal to ask on)' },
      { flags: '--out <file>', meaning: 'Only write the plan (review it with show, apply it with `apply PLAN`)' },
      { flags: '--portable', meaning: 'With --out: one plan for a fleet of identical nodes' }, json, template,
      { flags: '--health-cmd <cmd>', meaning: 'After the commit, run CMD in the product home; if it fails, revert at once and exit 8' },
      { flags: '--health-timeout <seconds>', meaning: 'How long the health check may take', default: '300' }, ...NETWORK_OPTIONS],
    example: 'wso2update apply-hotfix WSO2-HF-2026-0042 --home /opt/wso2am-4.2.0',
    exits: [[0, 'applied (or, with --out, the plan written)'], [1, 'error: a bad id, a hotfix of another level or already applied; nothing was changed'],
      [3, 'applied except the conflicts, which wait for your .final files'], [5, 'stale plan'], BUSY,
      [7, 'verification failed: the hotfix or its files do not match their signed sha256'], [8, 'applied, but the --health-cmd check failed, so it was reverted']],
    load: () => import('./commands/apply-hotfix.js'),
  },
  {
    name: 'revert-hotfix', summary: 'Undo the most recent hotfix (refused when the most recent change is not a hotfix)',
    options: [home, { flags: '--dry-run', meaning: 'Say what would be undone and change nothing' },
      { flags: '--yes', meaning: 'Do not ask (needed when there is no terminal to ask on)' },
      { flags: '--force', meaning: 'Revert even where the hotfixed files were edited since (the edits are kept in a new generation)' }, json],
    example: 'wso2update revert-hotfix --home /opt/wso2am-4.2.0 --yes',
    exits: [[4, 'reverted'], [0, 'nothing was reverted: --dry-run, or the question was answered no'], [1, 'error, no hotfix applied, or the most recent change is not a hotfix; nothing was changed'],
      [5, 'files the hotfix wrote were edited since (use --force to keep them in a generation)'], BUSY],
    load: () => import('./commands/revert-hotfix.js'),
  },
  {
    name: 'recover', summary: 'Roll back a run that was interrupted (a crash, kill -9, a lost machine)',
    options: [home, json],
    example: 'wso2update recover --home /opt/wso2am-4.2.0',
    exits: [[0, 'rolled back, or nothing to recover'], [1, 'error'], [3, 'an apply waits for conflicts: resolve them and `apply --continue`, or `revert`'], BUSY],
    load: () => import('./commands/recover.js'),
  },
  {
    name: 'status', summary: "The pack's level, kept generations and any unfinished run (WSO2's current-state)",
    options: [home, { flags: '--verify', meaning: 'Hash the whole pack against its manifest: customized and missing files' }, json],
    example: 'wso2update status --home /opt/wso2am-4.2.0 --verify',
    exits: [[0, 'shown; nothing pending'], [1, 'error (not a product home, not adopted)'], [3, 'an apply waits for conflicts to be resolved'], [6, 'an interrupted run needs `recover`']],
    load: () => import('./commands/status.js'),
  },
  {
    name: 'check', summary: 'Say whether newer levels are published (exit 10 when they are)',
    options: [home, repo('Repository (default: the one recorded at init)'), json, ...NETWORK_OPTIONS],
    example: 'wso2update check --home /opt/wso2am-4.2.0',
    exits: [[0, 'up to date'], [10, 'newer levels are available'], ERROR, BUSY],
    load: () => import('./commands/check.js'),
  },
  {
    name: 'keygen', summary: 'Make the TUF signing keys of a channel (or rotate one role\'s key)',
    options: [{ flags: '--keys <dir>', meaning: 'Folder for the private keys (files mode 0600; never printed)' },
      { flags: '--rotate <role>', meaning: 'root | targets | snapshot | timestamp: replace that key (root: the next root is signed by old and new)' },
      { flags: '--repo <dir>', meaning: 'The signed repository (with --rotate)' }, json, ...expiry],
    example: 'wso2update keygen --keys ./keys',
    exits: [[0, 'keys written (or rotated)'], [1, 'error (existing keys are never overwritten); nothing was changed']],
    load: () => import('./commands/keygen.js'),
  },
  {
    name: 'mirror', summary: 'Copy a channel for an air-gapped site, verifying everything; the copy is a signed repository',
    options: [{ flags: '--from <url|dir>', meaning: 'The repository to copy' }, { flags: '--to <dir>', meaning: 'The folder of the copy' },
      { flags: '--product <name-version>', meaning: 'Only this product (repeatable)' }, { flags: '--levels <a..b>', meaning: 'Only the blobs of these levels (A..B, A.., ..B, N)' },
      ...pin('Verify against'), { flags: '--allow-unsigned', meaning: 'Copy an unsigned repository (checked against its index only)' }, json, ...NETWORK_OPTIONS],
    example: 'wso2update mirror --from https://updates.example.com/wso2 --to /srv/mirror --trust-root root.json',
    exits: [[0, 'copied and verified'], [1, 'error'], [7, 'verification failed: the source is not what its signed metadata says']],
    load: () => import('./commands/mirror.js'),
  },
  {
    name: 'serve', summary: 'Serve a repository folder over HTTP with ETag and Range (demos and tests; production: any static server)',
    options: [{ flags: '--repo <dir>', meaning: 'Repository folder' }, { flags: '--host <host>', meaning: 'Address to listen on', default: '127.0.0.1' },
      { flags: '--port <n>', meaning: 'Port (0: any free port; the URL is printed)', default: '8080' }],
    example: 'wso2update serve --repo ./repo --port 8080',
    exits: [[0, 'stopped'], [1, 'error (the folder is not a repository, the port is taken)']],
    load: () => import('./commands/serve.js'),
  },
  {
    name: 'self-update', summary: 'Update this single executable from the channel the pack is adopted to (every command also does, first)',
    options: [home, json, ...NETWORK_OPTIONS],
    example: 'wso2update self-update --home /opt/wso2am-4.2.0',
    exits: [[0, 'already the newest release'], [1, 'error (not the single executable, bin/ not writable, channel unreachable); nothing was changed'],
      [2, 'updated itself; run the same command again'], [7, 'verification failed: the release is not what the signed channel says; nothing was changed']],
    load: () => import('./commands/self-update.js'),
  },
  {
    name: 'install', summary: "Copy this platform's single executable into PACK/bin/ under WSO2's name (wso2update_linux, ...)",
    options: [home, { flags: '--from <dir>', meaning: 'Where the executables are (default: beside the running one, else dist/release/)' }, json],
    example: 'wso2update install --home /opt/wso2am-4.2.0',
    exits: [[0, 'installed (or already the same file)'], [1, 'error (no executable for this platform, bin/ not writable); nothing was changed']],
    load: () => import('./commands/install.js'),
  },
  {
    name: 'publish-tool', summary: 'Publish a tool release (npm run dist) into a signed channel, for packs to update wso2update from',
    options: [{ flags: '--repo <dir>', meaning: 'The signed repository folder' }, { flags: '--keys <dir>', meaning: 'Its TUF keys (made by keygen)' },
      { flags: '--release-version <version>', meaning: 'The version to publish (`--version V` is read as this too); must be newer than the channel\'s' },
      { flags: '--from <dir>', meaning: 'The built release: dist/release/ (release.json, executables, wso2update.code)' }, json, ...expiry],
    example: 'wso2update publish-tool --repo ./repo --keys ./keys --release-version 0.2.0 --from dist/release',
    exits: [[0, 'published and signed'], [1, 'error (not newer, not signed, files not as built); the channel was not changed']],
    load: () => import('./commands/publish-tool.js'),
  },
  {
    name: 'version', summary: 'Print the tool version', options: [], example: 'wso2update version', exits: [[0, 'printed']],
    load: () => import('./commands/version.js'),
  },
  {
    name: 'help', args: '[command]', summary: 'Show the commands, or one command\'s options, example and exit codes', options: [],
    example: 'wso2update help apply', exits: [[0, 'shown'], [1, 'no such command']],
    load: () => import('./commands/help.js'),
  },
];

/** Every flag a command accepts, as typed (`--home`, `-h`), for "did you mean". */
export function flagsOf(c: CommandSpec | undefined): string[] {
  const all = [...(c?.options ?? []), ...GLOBAL_OPTIONS].flatMap((o) => o.flags.split(/[ ,]+/).filter((t) => t.startsWith('-')));
  return all.flatMap((f) => (f.startsWith('--no-') ? [f, `--${f.slice(5)}`] : [f]));
}

/** Every flag followed by a value (`--home <dir>`) in any command or the global options: one list for the parser's helpers. */
export function valuedFlags(): Set<string> {
  const valued = [...COMMANDS.flatMap((c) => c.options), ...GLOBAL_OPTIONS].filter((o) => o.flags.includes('<'));
  return new Set(valued.flatMap((o) => o.flags.split(/[ ,]+/).filter((t) => t.startsWith('-'))));
}
