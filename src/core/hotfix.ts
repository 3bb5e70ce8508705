// Hotfixes, pure: a hotfix is a signed, named change on top of exactly one level (the files it adds or replaces,
// the paths it removes). Applied, it is overlaid on the level's manifest, and that overlay is the pack's base from
// then on, so hotfixed files are not "customized"; a later level either contains the fix (it is retired) or not
// (each of its paths that the level would silently put back is a `hotfix-not-contained` conflict).
import { assertManifestRules } from './manifest-rules.js';
import { digestOf } from './canonical.js';
import { UpdateError } from './errors.js';
import type { AppliedHotfix, Descriptor, Entry, HotfixFate, Hotfix, LevelNotes, Manifest } from './model.js';
import { comparePaths } from './paths.js';
import type { Decision } from './plan/planner.js';
import { sameEntry } from './pack-compare.js';

/**
 * `<VENDOR>-HF-<YEAR>-<SERIAL>`, e.g. WSO2-HF-2026-0042: upper case, so that one id is one file name on every file
 * system (case-insensitive ones included), and narrow, so that an id is never a path, a flag or a level.
 */
export const HOTFIX_ID_PATTERN = /^[A-Z][A-Z0-9]{1,15}-HF-(19|20)[0-9]{2}-[0-9]{4,6}$/;

/** Meant as an id, though maybe mistyped (`WSO2-HF-26-1`): refused as an id rather than looked for as a file. */
export const looksLikeHotfixId = (s: string): boolean => /^[A-Za-z0-9]+-HF-/i.test(s);

export function assertHotfixId(id: unknown, where: string): asserts id is string {
  if (typeof id !== 'string' || !HOTFIX_ID_PATTERN.test(id)) {
    throw new UpdateError('usage', `${where}: ${JSON.stringify(id)} is not a hotfix id`, {
      hint: 'A hotfix id is <VENDOR>-HF-<YEAR>-<SERIAL> in capitals, e.g. WSO2-HF-2026-0042.',
    });
  }
}

const sortFiles = (files: Record<string, Entry>): Record<string, Entry> =>
  Object.fromEntries(Object.keys(files).sort(comparePaths).map((p) => [p, files[p]]));

/**
 * The manifest with the hotfix's files laid over it and its removals taken out (same product and level). The result
 * obeys exactly the rules a level's manifest obeys (core/manifest-rules.ts): a hotfix that would, say, turn a shipped
 * folder into a symlink, or ship a file below one, is refused here, so no caller (planning, publishing) can skip it.
 */
export function overlay(manifest: Manifest, fix: Pick<Hotfix, 'files' | 'removes'> & { id?: string }): Manifest {
  const files: Record<string, Entry> = { ...manifest.files, ...fix.files };
  for (const p of fix.removes) delete files[p];
  assertManifestRules(files, `${fix.id ? `hotfix ${fix.id}` : 'the hotfix'} over level ${manifest.level} of ${manifest.product}`, {
    hint: 'The hotfix with the level it goes on ships what no operator would accept; nothing was changed. Ask its publisher for a hotfix that keeps the level\'s folders as folders.',
  });
  return { ...manifest, files: sortFiles(files) };
}

/**
 * The pack's base: the level's manifest (with its digest, as the repository verified it) with every applied hotfix
 * overlaid, oldest first. Without hotfixes it is the level as given: no canonical JSON of the whole pack is hashed,
 * so planning still costs what the update touches.
 */
export function effectiveBase(level: { manifest: Manifest; digest: string }, applied: readonly Pick<Hotfix, 'files' | 'removes'>[]): { manifest: Manifest; digest: string } {
  if (applied.length === 0) return level;
  const manifest = applied.reduce(overlay, level.manifest);
  return { manifest, digest: digestOf(manifest) };
}

/** The state's record of a hotfix applied now (the files are kept so that the base can be rebuilt offline). */
export function appliedRecord(fix: Hotfix, digest: string, appliedAt: string, generation: string): AppliedHotfix {
  return { id: fix.id, level: fix.level, title: fix.title, digest, files: fix.files, removes: fix.removes, appliedAt, generation };
}

/** Paths of the hotfix that `target` does not ship as the hotfix does: the ones an update would silently undo. */
export function pathsNotIn(fix: Pick<Hotfix, 'files' | 'removes'>, target: Manifest): string[] {
  const out = Object.keys(fix.files).filter((p) => !Object.hasOwn(target.files, p) || !sameEntry(target.files[p], fix.files[p]));
  out.push(...fix.removes.filter((p) => Object.hasOwn(target.files, p)));
  return out.sort(comparePaths);
}

/**
 * What an update to another level does with each applied hotfix. Contained: a level crossed lists the id among its
 * fixes (the vendor says the level fixes it, maybe differently), or the target ships every hotfix path as the
 * hotfix does. Otherwise the update would drop the fix: the decisions on its paths become conflicts, so that the
 * plan says so and apply stops on them (or the policy decides) instead of putting the old files back unannounced.
 */
export function guardHotfixes(input: { decisions: readonly Decision[]; applied: readonly AppliedHotfix[]; base: Manifest; target: Manifest; crossed: readonly (Descriptor | LevelNotes)[] }): { decisions: Decision[]; fates: HotfixFate[] } {
  const { applied, base, target } = input;
  const fixed = new Set(input.crossed.flatMap((d) => d.fixes.map((f) => f.id)));
  const fates: HotfixFate[] = [];
  const dropped = new Set<string>();
  for (const h of applied) {
    const paths = pathsNotIn(h, target);
    if (fixed.has(h.id) || paths.length === 0) fates.push({ id: h.id, fate: 'retired', paths: [] });
    else {
      fates.push({ id: h.id, fate: 'not-contained', paths });
      for (const p of paths) dropped.add(p);
    }
  }
  const own = (m: Manifest, p: string): Entry | null => (Object.hasOwn(m.files, p) ? m.files[p] : null);
  // A conflict the table found already (a customized hotfixed jar, say) keeps its own reason; the fates name it too.
  const decisions = input.decisions.map((d): Decision => (!dropped.has(d.path) || d.action === 'conflict' ? d
    : { path: d.path, action: 'conflict', reason: 'hotfix-not-contained', before: d.before, base: own(base, d.path), target: own(target, d.path) }));
  return { decisions, fates };
}
