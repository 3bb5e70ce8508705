// The paths the pack's own records (journal, generation records) may name. They pass the manifest path rules, and
// under updates/ (the tool's own state, which no manifest may ship) only the files a commit itself swaps in: a forged
// journal step naming `updates/wso2update` or a kept generation would otherwise move the tool's state, or every
// kept generation, aside and delete it on rollback.
import { pathProblem } from './paths.js';

/** Generation and journal ids: what the schemas allow, never `.`, `..` or a hidden name. */
export const RECORD_ID = /^[0-9A-Za-z_-][0-9A-Za-z._-]{0,79}$/;

const OWN_FILES = /^updates\/(?:wso2update\/(?:state\.json|manifest\.json|generations\/([^/]+)\/generation\.json)|config\.json|changelog-\d{4,}-\d{4,}\.md)$/;
const CHANGELOG = /^updates\/changelog-\d{4,}-\d{4,}\.md$/;

/** Which of the tool's own files a record may name: a journal's steps swap the commit's files; a generation record
 *  lists pack paths and, for a revert, the changelog it takes back; folders created or pruned are never there. */
export type OwnFiles = 'commit' | 'changelog' | 'none';

/**
 * Why `p` may not appear in a record as a path the apply swaps, or null.
 */
export function recordPathProblem(p: unknown, ownFiles: OwnFiles): string | null {
  const problem = pathProblem(p);
  if (problem !== null) return problem;
  const s = p as string;
  if (s !== 'updates' && !s.startsWith('updates/')) return null;
  if (ownFiles === 'changelog' && CHANGELOG.test(s)) return null;
  const own = ownFiles === 'commit' ? OWN_FILES.exec(s) : null;
  if (own !== null && (own[1] === undefined || RECORD_ID.test(own[1]))) return null;
  return 'is inside updates/, the tool\'s own state, which no step may move';
}
