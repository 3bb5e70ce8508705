// Every command a message suggests must work when pasted: run by the name the tool was invoked by, and aimed at the
// same pack. Hints are written everywhere as `wso2update <command> ...` in backticks (core, io and apply know neither
// the name nor the folder); this one function, applied where people's text is written, puts in the invoked name and
// `--home <the pack>` for commands that take it.

export interface Invocation {
  /** As the user would type it: `wso2update`, `./wso2update_linux`, `npx wso2update`, `node bin/wso2update.js`. */
  prog: string;
  /** The product home the run was about (absolute), when known. */
  home?: string;
  /** Whose quoting the words get (default POSIX). */
  shell?: Shell;
}

/** A POSIX shell, or Windows' cmd.exe and PowerShell (which both read a double-quoted path back as it is). */
export type Shell = 'posix' | 'windows';

/** Commands that act on a pack and so take `--home`. */
const WITH_HOME = new Set(['init', 'plan', 'apply', 'revert', 'recover', 'status', 'check']);
const COMMANDS = new Set([...WITH_HOME, 'show', 'publish', 'version', 'help']);

/**
 * A word as the shell reads it back: bare when safe, else quoted. POSIX: single quotes. Windows: double quotes, which
 * cmd.exe and PowerShell both take (a Windows path holds no `"`); single quotes are literal characters to cmd.exe.
 */
export function shellWord(s: string, shell: Shell = 'posix'): string {
  if (shell === 'windows') return /^[\w@+=:,.\\/-]+$/.test(s) ? s : `"${s}"`;
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The command line `wso2update <command> <rest>` made pasteable; `command` is a subcommand, `rest` its words. */
export function commandLine(inv: Invocation, words: string): string {
  // A hint that names this pack's home raw (`recover --home C:\Program Files\am`) gets it quoted as one word.
  const raw = inv.home === undefined ? words : words.replace(new RegExp(` --home ${escapeRegExp(inv.home)}(?=\\s|$)`, 'g'), ' --home \0');
  const tokens = raw.trim().split(/\s+/).map((t) => (t === '\0' ? shellWord(inv.home as string, inv.shell) : t));
  const home = inv.home !== undefined && WITH_HOME.has(tokens[0]) && !tokens.includes('--home') && !tokens.includes('--help') ? ` --home ${shellWord(inv.home, inv.shell)}` : '';
  return `${inv.prog} ${tokens.join(' ')}${home}`;
}

/**
 * Rewrites each backticked command in `text`: `` `wso2update apply --continue` `` and the short form
 * `` `apply --continue` `` (a known command followed by a flag) become the pasteable command line.
 */
export function pasteable(text: string, inv: Invocation): string {
  return text.replace(/`([^`\n]+)`/g, (whole, inner: string) => {
    const words = inner.trim().split(/\s+/);
    if (words[0] === 'wso2update' && COMMANDS.has(words[1] ?? '')) return `\`${commandLine(inv, words.slice(1).join(' '))}\``;
    if (WITH_HOME.has(words[0]) && (words[1] ?? '').startsWith('--')) return `\`${commandLine(inv, inner)}\``;
    return whole;
  });
}
