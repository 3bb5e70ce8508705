// The command table: each command's arguments, options with their meaning, one example and its exit codes, in one
// place, so that the parser (main.ts registers cac from it), `--help`, and "did you mean" can never disagree.
import type { CommandHelp, OptionHelp } from '../ui/help.js';
import type { CommandRun } from './context.js';

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
  meaning: `${when}stop (apply waits for your <file>.final), keep-mine (your file stays) or take-theirs (the update's is installed)`,
});

const BUSY: [number, string] = [6, 'busy: the product is running, another update runs, or an interrupted run needs `recover`'];
const ERROR: [number, string] = [1, 'error (bad input, not a product home, I/O); nothing was changed'];

export const GLOBAL_OPTIONS: OptionHelp[] = [
  { flags: '-h, --help', meaning: 'Show this help' },
  { flags: '--version', meaning: 'Print the tool version' },
];

export const COMMANDS: CommandSpec[] = [
  {
    name: 'init', summary: 'Adopt a pack: record its product, level and repository (once per pack)',
    options: [home, repo('Repository (update channel) of this product'), level('Current level (default: "update-level" of updates/config.json, else 0)'),
      { flags: '--keep-generations <n>', meaning: 'How many applies revert can undo (older generations are pruned)', default: '3' }, json],
    example: 'wso2update init --home /opt/wso2am-4.2.0 --repo /srv/wso2-updates',
    exits: [[0, 'adopted'], ERROR, BUSY, [7, "verification failed: the repository's manifest does not match its digest"]],
    load: () => import('./commands/init.js'),
  },
  {
    name: 'publish', summary: 'Record a full product tree as a level in a repository (the vendor side)',
    options: [{ flags: '--repo <dir>', meaning: 'Repository folder (created when missing)' }, { flags: '--product <name-version>', meaning: 'Product and version, e.g. wso2am-4.2.0' },
      { flags: '--level <n>', meaning: 'Level number (levels must increase)' }, { flags: '--tree <dir>', meaning: 'The full product tree at that level' },
      { flags: '--notes <file.yaml>', meaning: 'Title, date, description, fixes and security advisories' },
      { flags: '--exclude <glob>', meaning: 'Extra paths to leave out (repeatable)' }, { flags: '--date <yyyy-mm-dd>', meaning: 'Release date (default: the notes, else today)' }, json],
    example: 'wso2update publish --repo ./repo --product wso2am-4.2.0 --level 1 --tree ./wso2am-4.2.0-u1 --notes level1.yaml',
    exits: [[0, 'published (or already published with this content)'], [1, 'error (bad input, a level that does not increase); the repository was not changed']],
    load: () => import('./commands/publish.js'),
  },
  {
    name: 'plan', summary: 'Compare the pack with a level and write a plan to review (nothing in the pack changes)',
    options: [home, repo('Repository (default: the one recorded at init)'), level('Target level (default: the latest)'),
      { flags: '--out <file>', meaning: 'Plan file (default: wso2update.plan.json here, or in updates/wso2update/ when run inside the pack)' }, json,
      { ...policy('What apply does with conflicts: '), default: 'stop' },
      { flags: '--portable', meaning: 'One plan for a fleet of identical nodes (each node checks it against its own files)' }, template,
      { flags: '--detailed-exitcode', meaning: 'Exit 10 when the plan has changes' },
      { flags: '--yes', meaning: 'Accepted for WSO2 habits (`--dry-run --yes`); plan never asks' }],
    example: 'wso2update plan --home /opt/wso2am-4.2.0 --out plan.json',
    exits: [[0, 'plan written (also when it has no changes)'], ERROR, [3, 'plan written; it has conflicts that apply will stop on'], BUSY,
      [7, 'verification failed: the repository does not match its digests'], [10, 'with --detailed-exitcode: the plan has changes']],
    load: () => import('./commands/plan.js'),
  },
  {
    name: 'show', args: '<plan>', summary: 'Show a plan for review: text, a Markdown change ticket, or JSON',
    options: [json, { flags: '--markdown', meaning: 'A change ticket in Markdown (digest, levels, advisories, files, diffs)' },
      { flags: '--reveal-secrets', meaning: 'Print secret values instead of masking them' }],
    example: 'wso2update show plan.json --markdown > change-ticket.md',
    exits: [[0, 'shown'], [1, 'not a plan file, or a plan that was edited or damaged']],
    load: () => import('./commands/show.js'),
  },
  {
    name: 'apply', args: '[plan]', summary: 'Apply a reviewed plan (without one: plan, show the summary, ask, apply)',
    options: [home, { flags: '--yes', meaning: 'Do not ask (needed when there is no terminal to ask on)' },
      { flags: '--continue', meaning: 'Install the <file>.final files of a conflicted apply and finish it' },
      { flags: '--expect-digest <sha256>', meaning: 'Refuse any plan but the approved one' },
      { flags: '--no-changelog', meaning: 'Do not write updates/changelog-<from>-<to>.md' },
      repo('Repository when apply plans; beside a plan file, a mirror of the same content (checked by digest)'), level('Target level (only when apply plans)'), policy('Only when apply plans: '), json, template],
    example: 'wso2update apply plan.json --home /opt/wso2am-4.2.0',
    exits: [[0, 'applied, or no changes'], [1, 'error; nothing was changed, or everything was rolled back'], [3, 'applied except the conflicts, which wait for your .final files'],
      [5, 'stale plan: the pack changed since planning, the plan was already applied, or it is for another pack'], BUSY,
      [7, 'verification failed: a blob or manifest does not match its sha256, or the plan is not the approved one']],
    load: () => import('./commands/apply.js'),
  },
  {
    name: 'revert', summary: 'Undo the last apply (or several, with --to-level), restoring the files it replaced',
    options: [home, { flags: '--to-level <n>', meaning: 'Revert through kept generations down to this level' },
      { flags: '--dry-run', meaning: 'Say what revert would undo and change nothing' },
      { flags: '--yes', meaning: 'Do not ask (needed when there is no terminal to ask on)' },
      { flags: '--force', meaning: 'Revert even where updated files were edited since (the edits are kept in a new generation)' }, json],
    example: 'wso2update revert --home /opt/wso2am-4.2.0',
    exits: [[4, 'reverted'], [0, 'nothing was reverted: --dry-run, or the question was answered no'], [1, 'error, or nothing to revert; nothing was changed'],
      [5, 'files the update wrote were edited since (use --force to keep them in a generation)'], BUSY],
    load: () => import('./commands/revert.js'),
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
    options: [home, repo('Repository (default: the one recorded at init)'), json],
    example: 'wso2update check --home /opt/wso2am-4.2.0',
    exits: [[0, 'up to date'], [10, 'newer levels are available'], ERROR, BUSY],
    load: () => import('./commands/check.js'),
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
