// Offline bundles: one tar of repository files, written deterministically and read without trusting it.
// API (stable; the hotfix archive builds on it):
//   writeBundle({ repoDir, paths, extra?, out }) -> { entries, bytes, sha256 }   same inputs, same bytes (write.ts)
//   openBundle(file, { limits?, stagingDir?, signal? }) -> BundleTransport       a Transport (../transport.ts) over
//     the archive: read(rel, {maxBytes}), fetchTo(rel, dest, {size, sha256, ...}), entries(), has(rel), close().
// Trust: the bundle module only guarantees a well-formed archive (regular files, safe unique names, sizes within the
// caps, nothing truncated); what the bytes mean is verified above it, by the verifying repository against the pack's
// pinned TUF root (openRepository with the bundle's path as location). Nothing is extracted: entries are read from
// the archive file at their offsets; a gzip bundle is first decompressed, capped, into a private folder under the
// given staging folder (the pack's updates/wso2update/), removed by close() or by the refusal.
export { BUNDLE_MTIME, writeBundle, type WriteBundleInput, type WrittenBundle } from './write.js';
export { BundleTransport, openBundle, type OpenBundleOptions } from './transport.js';
export { DEFAULT_LIMITS, type BundleLimits } from './scan.js';
