// `publish`: records a full product tree as a level of a repository folder. Blobs first (only new ones, each verified
// as copied), then the level's manifest and descriptor, and the index LAST, atomically: a crash at any point leaves
// a valid repository that simply does not list the level yet.
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { stringify } from 'yaml';
import { UpdateError } from '../core/errors.js';
import { canonicalJson, sha256Hex } from '../core/canonical.js';
import { compileGlobs } from '../core/glob.js';
import { FORMAT_VERSION, RUNTIME_EXCLUDES, type Entry, type Manifest, type RepoIndex } from '../core/model.js';
import { assertProductName, buildDescriptor, changesBetween, type NotesInput, type PublishResult } from '../core/publish.js';
import { fsyncDir, writeFileAtomic } from '../io/atomic.js';
import { commitBlobs, stageBlob, type StagedBlob } from '../channel/blobs.js';
import { FolderTransport } from '../channel/folder.js';
import { VerifiedRepository } from '../channel/repository.js';
import { descriptorRel, INDEX_FILE, manifestRel } from '../core/layout.js';
import { pool, scanTree } from '../io/tree.js';
import { parseJsonFile } from '../io/validate.js';
import { assertManifestRules, modesFrom } from '../core/manifest-rules.js';
import { hasModes, type Platform } from '../io/platform.js';

export interface PublishRequest {
  repo: string;
  product: string;
  level: number;
  tree: string;
  /** YYYY-MM-DD (the CLI resolves --date, else the notes' date, else today). */
  date: string;
  notes?: NotesInput;
  /** Globs to leave out besides the runtime paths. */
  excludes?: readonly string[];
  concurrency?: number;
  /** Whose file system the tree is read on (io/platform.ts); the host's by default. */
  platform?: Platform;
}

async function readIndex(root: string): Promise<RepoIndex> {
  const file = join(root, INDEX_FILE);
  const text = await readFile(file, 'utf8').catch((err) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  });
  return text === null ? { formatVersion: FORMAT_VERSION, products: {} } : parseJsonFile<RepoIndex>(text, file, 'index');
}

async function checkFolders(repo: string, tree: string): Promise<void> {
  const st = await stat(tree).catch(() => null);
  if (!st?.isDirectory()) throw new UpdateError('not-found', `the tree ${tree} is not a folder`, { hint: 'Give --tree the unpacked product folder of that level.' });
  const inside = relative(tree, repo);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new UpdateError('usage', `the repository ${repo} is inside the tree ${tree}`, { hint: 'Put the repository outside the product tree.' });
  }
}

export async function publish(req: PublishRequest): Promise<PublishResult> {
  assertProductName(req.product);
  if (!Number.isSafeInteger(req.level) || req.level < 0 || req.level > 999_999_999) {
    throw new UpdateError('usage', `--level must be a whole number from 0, got ${req.level}`);
  }
  const repo = resolve(req.repo);
  const tree = resolve(req.tree);
  await checkFolders(repo, tree);
  await mkdir(repo, { recursive: true });
  const index = await readIndex(repo);
  const levels = Object.keys(index.products[req.product]?.levels ?? {}).map(Number).sort((a, b) => a - b);
  const existing = index.products[req.product]?.levels[String(req.level)];
  const latest = levels.at(-1);
  if (!existing && latest !== undefined && req.level < latest) {
    throw new UpdateError('usage', `${req.product} level ${req.level} is below the latest published level ${latest}`, {
      hint: `Levels must increase: publish it as level ${latest + 1} or higher.`,
    });
  }

  const skip = compileGlobs(req.excludes ?? []);
  const entries = await scanTree(tree, { excludes: RUNTIME_EXCLUDES, skip, concurrency: req.concurrency });
  const previousLevel = levels.filter((l) => l < req.level).at(-1) ?? null;
  const source = new VerifiedRepository(new FolderTransport(repo));
  const prev = previousLevel === null ? null : (await source.manifest(req.product, previousLevel)).manifest.files;
  // A tree read where files have no modes (Windows) says nothing about them: the previous level's stand.
  const modeless = !hasModes(req.platform);
  const files: Record<string, Entry> = modeless ? modesFrom(prev, Object.fromEntries(entries)) : Object.fromEntries(entries);
  assertManifestRules(files, tree); // what no reader would accept is refused here, before anything is stored
  const manifest: Manifest = { formatVersion: FORMAT_VERSION, product: req.product, level: req.level, files };
  const manifestText = canonicalJson(manifest);
  const manifestSha = sha256Hex(manifestText);
  if (existing && existing.manifest !== manifestSha) {
    throw new UpdateError('usage', `${req.product} level ${req.level} is already published with other content`, {
      hint: `A published level never changes (packs were planned against it): publish this tree as level ${(latest ?? req.level) + 1}.`,
    });
  }

  const changes = changesBetween(prev, files);
  const descriptorText = stringify(buildDescriptor(req.product, req.level, req.date, req.notes ?? {}, changes), { version: '1.2', lineWidth: 0 });
  const result: PublishResult = {
    repository: repo, product: req.product, level: req.level, previousLevel, unchanged: Boolean(existing),
    files: entries.size, added: changes.added.length, modified: changes.modified.length, removed: changes.removed.length,
    blobsStored: 0, blobsExisting: 0, bytesStored: 0, manifest: manifestSha, descriptor: existing?.descriptor ?? sha256Hex(descriptorText),
    warnings: modeless ? [`this file system has no file modes: each file keeps its mode of ${previousLevel === null ? 'no earlier level (none published): all are 0644' : `level ${previousLevel}, new files are 0644`}; publish from Linux or macOS to change modes`] : [],
  };
  if (existing) {
    if (existing.descriptor !== sha256Hex(descriptorText)) result.warnings.push(`level ${req.level} was already published with this content; its notes were kept as they were`);
    return result;
  }

  // Blobs: one copy per distinct content, skipping what the repository already holds.
  const bySha = new Map<string, string>();
  for (const [p, e] of entries) if (e.kind === 'file' && !bySha.has(e.sha256)) bySha.set(e.sha256, p);
  const work = pool(req.concurrency ?? 8);
  const staged: StagedBlob[] = [];
  try {
    for (const [sha, p] of bySha) {
      const size = (files[p] as { size: number }).size;
      await work.run(async () => {
        const tmp = await stageBlob(repo, sha, join(tree, p), size);
        if (tmp === null) result.blobsExisting += 1;
        else {
          staged.push(tmp);
          result.blobsStored += 1;
          result.bytesStored += size;
        }
      });
    }
    await work.drain();
  } catch (err) {
    await work.drain().catch(() => undefined);
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw err;
  }
  await commitBlobs(staged);

  await mkdir(join(repo, dirname(manifestRel(req.product, req.level))), { recursive: true });
  await writeFileAtomic(join(repo, manifestRel(req.product, req.level)), manifestText);
  await writeFileAtomic(join(repo, descriptorRel(req.product, req.level)), descriptorText);
  await fsyncDir(dirname(join(repo, dirname(manifestRel(req.product, req.level)))));

  const next: RepoIndex = { formatVersion: FORMAT_VERSION, products: { ...index.products } };
  const levelsOf = { ...(next.products[req.product]?.levels ?? {}), [String(req.level)]: { manifest: manifestSha, descriptor: result.descriptor } };
  next.products[req.product] = { ...next.products[req.product], levels: levelsOf }; // its hotfixes stay listed
  next.products = Object.fromEntries(Object.entries(next.products).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFileAtomic(join(repo, INDEX_FILE), `${JSON.stringify(next, null, 2)}\n`);
  return result;
}
