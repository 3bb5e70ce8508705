// `apply-hotfix ID|FILE` plans like an update, with the same planner, merges and conflicts: the base is the pack's
// (its level with the hotfixes already applied), the target is that base with the hotfix overlaid, and the plan
// names the hotfix. FILE is a hotfix archive (or a repository folder) holding exactly one hotfix; it is read as a
// repository, so it is verified against the pack's pinned root like the channel.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { digestOf } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import { assertHotfixId, HOTFIX_ID_PATTERN, looksLikeHotfixId, overlay } from '../core/hotfix.js';
import type { Hotfix, Manifest, PackState, Plan } from '../core/model.js';
import { planPack, type PackPlanOptions } from './update.js';
import type { Repository } from '../channel/api.js';

/** The hotfix `id` from `repo`, refused unless it goes on this pack now: its level, and not applied already. */
export async function checkedHotfix(repo: Repository, state: PackState, id: string): Promise<{ hotfix: Hotfix; digest: string }> {
  assertHotfixId(id, 'apply-hotfix');
  if (state.hotfixes?.some((h) => h.id === id)) {
    throw new UpdateError('usage', `hotfix ${id} is already applied to this pack`, { hint: 'Nothing was changed. `wso2update status` lists the applied hotfixes.' });
  }
  const found = await repo.hotfix(state.product, id);
  const at = found.hotfix.level;
  if (at !== state.level) {
    throw new UpdateError('usage', `hotfix ${id} is for ${state.product} level ${at}, but this pack is at level ${state.level}`, {
      hint: at > state.level ? `Nothing was changed. Update to level ${at} first (\`wso2update plan --level ${at}\`), then apply the hotfix.`
        : `Nothing was changed. A later level usually contains the fix: see its notes (wso2update show PLAN), or ask for a hotfix of level ${state.level}.`,
    });
  }
  return found;
}

export const hotfixTarget = (base: Manifest, hotfix: Hotfix): { manifest: Manifest; digest: string } => {
  const manifest = overlay(base, hotfix);
  return { manifest, digest: digestOf(manifest) };
};

/** An archive or folder given as FILE: the one hotfix it holds for this product. */
async function onlyHotfix(repo: Repository, product: string, file: string): Promise<string> {
  const ids = Object.keys((await repo.index()).products[product]?.hotfixes ?? {});
  if (ids.length !== 1) {
    throw new UpdateError('usage', `${file} holds ${ids.length === 0 ? 'no hotfix' : `${ids.length} hotfixes (${ids.sort().join(', ')})`} for ${product}`, {
      hint: ids.length === 0 ? 'Give the hotfix archive made for this product (or a hotfix id from the channel).' : 'Name the one to apply: `wso2update apply-hotfix ID --repo FILE`.',
    });
  }
  return ids[0];
}

export interface HotfixPlanOptions extends PackPlanOptions {
  /** As typed: a hotfix id (read from --repo, else the pack's repository) or the path of a hotfix archive. */
  source: string;
  /** What a relative archive path is relative to. */
  cwd: string;
  repo?: string;
}

/**
 * What `apply-hotfix ARG` means, decided here alone: an id stays an id (a mistyped one too, unless such a file
 * exists, so that it is refused as an id rather than looked for as a file); anything else is a path from `cwd`.
 */
export function hotfixSource(arg: string, cwd: string): { id: string } | { file: string } {
  if (HOTFIX_ID_PATTERN.test(arg)) return { id: arg };
  const file = resolve(cwd, arg);
  if (existsSync(file)) return { file };
  if (looksLikeHotfixId(arg)) assertHotfixId(arg, 'apply-hotfix');
  throw new UpdateError('not-found', `${file} is neither a hotfix id nor a hotfix archive (no such file)`, {
    hint: 'Give the id (e.g. WSO2-HF-2026-0042, read from the channel) or the path of the archive made by `wso2update create-hotfix`.',
  });
}

/** A hotfix plan: theirs is the pack's base with the hotfix overlaid, at the same level. */
export function makeHotfixPlan(o: HotfixPlanOptions): Promise<Plan> {
  let source: { id: string } | { file: string };
  return planPack(o, {
    run: () => {
      source = hotfixSource(o.source, o.cwd);
      // A hotfix archive is a bundle: a compressed one is decompressed, capped, under the pack's own folder.
      return { repo: 'id' in source ? o.repo : source.file, cache: true };
    },
    choose: async (repo, state) => {
      const id = 'id' in source ? source.id : await onlyHotfix(repo, state.product, source.file);
      const { hotfix, digest } = await checkedHotfix(repo, state, id);
      return {
        toLevel: state.level,
        target: (base) => hotfixTarget(base.manifest, hotfix),
        hotfix: { id, title: hotfix.title, description: hotfix.description, date: hotfix.date, digest },
      };
    },
  });
}
