// The changelog WSO2's tool leaves after an update (updates/changelog-<from>-<to>.md, levels padded to four digits),
// in its format (WSO2-REFERENCE.md) plus the two sections wso2update adds: merged files and conflicts.
import { comparePaths } from './paths.js';
import { PRODUCT_PATTERN } from './publish.js';

export const pad4 = (level: number): string => String(level).padStart(4, '0');

export const changelogName = (from: number, to: number): string => `updates/changelog-${pad4(from)}-${pad4(to)}.md`;

export interface ChangelogInput {
  product: string;
  fromLevel: number;
  toLevel: number;
  added: readonly string[];
  updated: readonly string[];
  removed: readonly string[];
  merged: readonly string[];
  conflicts: readonly { path: string; outcome: string }[];
}

function section(title: string, lines: readonly string[]): string[] {
  return [`## ${title} (${lines.length})`, '', ...(lines.length ? lines : ['_None_']), ''];
}

export function renderChangelog(c: ChangelogInput): string {
  const m = PRODUCT_PATTERN.exec(c.product);
  const list = (xs: readonly string[]) => [...xs].sort(comparePaths).map((p) => `- ${p}`);
  return [
    '# Changelog',
    '',
    `- **Product:** ${m ? `${m[1]} ${m[2]}` : c.product}`,
    `- **Update levels:** ${pad4(c.fromLevel)} -> ${pad4(c.toLevel)}`,
    '',
    ...section('Added Files', list(c.added)),
    ...section('Updated Files', list(c.updated)),
    ...section('Removed Files', list(c.removed)),
    ...section('Merged Files', list(c.merged)),
    ...section('Conflicts', [...c.conflicts].sort((a, b) => comparePaths(a.path, b.path)).map((x) => `- ${x.path}: ${x.outcome}`)),
  ].join('\n');
}
