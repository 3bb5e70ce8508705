// tuf-js fetches metadata through this Fetcher, which reads through our Transport, so a folder, HTTP(S) and a tar
// bundle are verified alike. tuf-js learns "no newer root" only from a DownloadHTTPError 404 or 403 (REMOTE-NOTES),
// so a missing or forbidden file becomes one; any other transport failure is kept, because tuf-js wraps snapshot and targets
// failures in a RuntimeError without a cause, and the real reason must reach the operator. Names stay
// percent-encoded as tuf-js made them (a delegated role "/x" is `1.%2Fx.json`): the transport resolves them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fetcher } from 'tuf-js';
import { DownloadHTTPError } from 'tuf-js/dist/error.js';
import { UpdateError } from '../../core/errors.js';
import type { Transport } from '../transport.js';

/** The base tuf-js joins metadata names to: a URL whose path is the repository-relative path. */
export const METADATA_BASE = 'tuf:/metadata/';

export class TransportFetcher implements Fetcher {
  /** The transport error of the last failed download (null when the last download succeeded). */
  lastError: unknown = null;

  /** `metadataDir`: where the metadata stands in the transport (`metadata/`; '' when it is opened at that folder). */
  constructor(private readonly transport: Transport, private readonly signal?: AbortSignal, private readonly metadataDir = 'metadata/') {}

  /** The transport path of a metadata URL tuf-js made from METADATA_BASE, still percent-encoded. */
  relOf(url: string): string {
    return `${this.metadataDir}${new URL(url).pathname.replace(/^\/metadata\//, '')}`;
  }

  async downloadBytes(url: string, maxLength: number): Promise<Buffer> {
    this.lastError = null;
    const rel = this.relOf(url);
    try {
      return await this.transport.read(rel, { maxBytes: maxLength, signal: this.signal, encoded: true });
    } catch (err) {
      if (err instanceof UpdateError && err.code === 'not-found') throw new DownloadHTTPError(`${rel} not found`, 404);
      this.lastError = err;
      // tuf-js takes a 403 on the next root (N+1.root.json) as "no newer root", as on a 404 (an S3 bucket without list
      // permission answers 403 for a missing key; python-tuf does the same). Anywhere else tuf-js throws it on, and
      // trustError reports the server's own answer (lastError), not unsigned metadata.
      if (err instanceof UpdateError && err.status === 403) throw new DownloadHTTPError(`${rel} forbidden`, 403);
      throw err;
    }
  }

  async downloadFile<T>(url: string, maxLength: number, handler: (file: string) => Promise<T>): Promise<T> {
    const bytes = await this.downloadBytes(url, maxLength);
    const dir = await mkdtemp(join(tmpdir(), 'wso2update-tuf-'));
    try {
      const file = join(dir, 'download');
      await writeFile(file, bytes, { mode: 0o600 });
      return await handler(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
