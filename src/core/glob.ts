// A tiny glob matcher for `publish --exclude`: `*` (within a name), `?` (one character), `**` (any number of
// folders). A pattern without `/` matches a name at any depth, like .gitignore; one with `/` is anchored at the root.
import { UpdateError } from './errors.js';

function toRegExp(pattern: string): RegExp {
  const p = pattern.replace(/\/+$/, '');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      const slashAfter = p[i + 2] === '/';
      const atStart = i === 0 || p[i - 1] === '/';
      if (atStart && slashAfter) { re += '(?:.*/)?'; i += 2; }
      else if (atStart && i + 2 === p.length) { re += '.*'; i += 1; }
      else { re += '.*'; i += 1; }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // `dir/**` also means the folder itself, so that the walk can skip it whole.
  re = re.replace(/\/\.\*$/, '(?:/.*)?');
  return new RegExp(`^${p.includes('/') ? '' : '(?:.*/)?'}${re}$`);
}

/** A predicate that is true for paths any of the patterns match; throws a usage error for a pattern that cannot match. */
export function compileGlobs(patterns: readonly string[]): (rel: string) => boolean {
  const res = patterns.map((pattern) => {
    if (pattern === '' || pattern.startsWith('/') || pattern.includes('\\') || pattern.split('/').includes('..')) {
      throw new UpdateError('usage', `--exclude ${JSON.stringify(pattern)} is not a relative glob`, {
        hint: 'Write patterns relative to the tree, with / between folders: --exclude "repository/deployment/server/**" --exclude "*.log".',
      });
    }
    return toRegExp(pattern);
  });
  return (rel) => res.some((re) => re.test(rel));
}
