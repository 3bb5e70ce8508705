// `publish-hotfix`: records a hotfix of one published level in a repository folder, as `publish` records a level:
// blobs first (content-addressed, only new ones), then the record `products/<p>/hotfixes/<id>.json` (canonical
// JSON), and the index LAST, so a crash leaves a valid repository that does not list the hotfix yet. The tree may
// be the whole patched pack or only the patched files: only what differs from the level goes into the hotfix.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { canonicalJson, sha256Hex } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import { assertHotfixId, overlay } from '../core/hotfix.js';
import { assertManifestRules } from '../core/manifest-rules.js';
import { FORMAT_VERSION, RUNTIME_EXCLUDES, type Entry, type Hotfix, type RepoIndex } from '../core/model.js';
import { assertSafePath, comparePaths, isExcluded } from '../core/paths.js';
import { assertProductName } from '../core/publish.js';
import { writeFileAtomic } from '../io/atomic.js';
import { commitBlobs, stageBlob, type StagedBlob } from '../channel/blobs.js';
import { FolderTransport } from '../channel/folder.js';
import { VerifiedRepository } from '../channel/repository.js';
import { hotfixRel, INDEX_FILE } from '../core/layout.js';
import { scanTree } from '../io/tree.js';
import { parseJsonFile } from '../io/validate.js';

export interface HotfixRequest {
  repo: string;
  product: string;
  level: number;
  id: string;
  tree: string;
  /** Only these tree-relative paths (`--files`); all of the tree when absent. */
  files?: readonly string[];
  /** Shipped paths the hotfix deletes (`--remove`). */
  removes: readonly string[];
  title: string;
  description: string;
  date: string;
}

export interface HotfixPublishResult {
  repository: string;
  product: string;
  level: number;
  id: string;
  added: string[];
  replaced: string[];
  removed: string[];
  /** Paths of the tree left out because the level already ships them as they are. */
  unchangedInTree: number;
  blobsStored: number;
  /** sha256 of the record; true when it was already published with these very bytes. */
  record: string;
  unchanged: boolean;
}

const bad = (summary: string, hint: string) => new UpdateError('usage', summary, { hint });

export async function publishHotfix(req: HotfixRequest): Promise<HotfixPublishResult> {
  assertProductName(req.product);
  assertHotfixId(req.id, '--id');
  const repo = resolve(req.repo);
  const source = new VerifiedRepository(new FolderTransport(repo));
  const levels = await source.levels(req.product);
  if (!levels.includes(req.level)) throw bad(`${req.product} has no published level ${req.level} in ${repo}`, `A hotfix goes on top of a published level: ${levels.join(', ') || 'none'}.`);
  const levelManifest = (await source.manifest(req.product, req.level)).manifest;
  const level = levelManifest.files;
  const scanned = await scanTree(resolve(req.tree), { excludes: RUNTIME_EXCLUDES });
  const wanted = req.files ?? [...scanned.keys()];
  const files: Record<string, Entry> = {};
  let unchangedInTree = 0;
  for (const p of wanted) {
    assertSafePath(p, '--files');
    const e = scanned.get(p);
    if (!e) throw bad(`--files names ${p}, which is not a file or symlink in the tree ${req.tree}`, 'List paths relative to --tree.');
    if (Object.hasOwn(level, p) && canonicalJson(level[p]) === canonicalJson(e)) unchangedInTree += 1;
    else files[p] = e;
  }
  for (const p of req.removes) {
    assertSafePath(p, '--remove');
    if (!Object.hasOwn(level, p)) throw bad(`--remove ${p}: level ${req.level} does not ship that path`, 'A hotfix removes only shipped files; check the path.');
    if (Object.hasOwn(files, p)) throw bad(`${p} is both in the tree and in --remove`, 'A hotfix either ships a path or removes it.');
  }
  if (Object.keys(files).length === 0 && req.removes.length === 0) {
    throw bad(`the hotfix changes nothing: every file of ${req.tree} is already as level ${req.level} ships it`, 'Give --tree the patched files (or the patched pack), or --remove the paths the fix deletes.');
  }
  for (const p of [...Object.keys(files), ...req.removes]) {
    if (isExcluded(p, RUNTIME_EXCLUDES)) throw bad(`${p} is runtime data, which no level or hotfix ships`, 'Leave updates/, repository/logs/, repository/database/ and tmp/ out of a hotfix.');
  }
  assertManifestRules(files, req.tree);
  overlay(levelManifest, { id: req.id, files, removes: [...req.removes] }); // with the level, what apply-hotfix would lay over it
  const sorted = Object.fromEntries(Object.keys(files).sort(comparePaths).map((p) => [p, files[p]]));
  const record: Hotfix = {
    formatVersion: FORMAT_VERSION, id: req.id, product: req.product, level: req.level, date: req.date, title: req.title,
    description: req.description, files: sorted, removes: [...req.removes].sort(comparePaths),
  };
  const text = canonicalJson(record);
  const sha = sha256Hex(text);
  const result: HotfixPublishResult = {
    repository: repo, product: req.product, level: req.level, id: req.id, record: sha, unchanged: false, unchangedInTree, blobsStored: 0,
    added: Object.keys(sorted).filter((p) => !Object.hasOwn(level, p)), replaced: Object.keys(sorted).filter((p) => Object.hasOwn(level, p)), removed: record.removes,
  };
  const index = parseJsonFile<RepoIndex>(await readFile(join(repo, INDEX_FILE), 'utf8'), join(repo, INDEX_FILE), 'index');
  const existing = index.products[req.product].hotfixes?.[req.id];
  if (existing) {
    if (existing.record === sha && existing.level === req.level) return { ...result, unchanged: true };
    throw bad(`hotfix ${req.id} is already published with other content (level ${existing.level})`, 'A published hotfix never changes (packs applied it): publish the new fix under a new id.');
  }
  await storeBlobs(repo, req.tree, sorted, result);
  await mkdir(dirname(join(repo, hotfixRel(req.product, req.id))), { recursive: true });
  await writeFileAtomic(join(repo, hotfixRel(req.product, req.id)), text);
  const p = index.products[req.product];
  const hotfixes = Object.fromEntries(Object.entries({ ...p.hotfixes, [req.id]: { level: req.level, record: sha } }).sort(([a], [b]) => comparePaths(a, b)));
  const next: RepoIndex = { ...index, products: { ...index.products, [req.product]: { ...p, hotfixes } } };
  await writeFileAtomic(join(repo, INDEX_FILE), `${JSON.stringify(next, null, 2)}\n`);
  return result;
}

async function storeBlobs(repo: string, tree: string, files: Record<string, Entry>, result: HotfixPublishResult): Promise<void> {
  const staged: StagedBlob[] = [];
  try {
    for (const [p, e] of Object.entries(files)) {
      if (e.kind !== 'file') continue;
      const tmp = await stageBlob(repo, e.sha256, join(resolve(tree), p), e.size);
      if (tmp !== null && !staged.some((s) => s.final === tmp.final)) staged.push(tmp);
      else if (tmp !== null) await rm(tmp.tmp, { force: true });
    }
  } catch (err) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw err;
  }
  await commitBlobs(staged);
  result.blobsStored = staged.length;
}
