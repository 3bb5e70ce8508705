// A tool release folder as `npm run dist` leaves it (release.json, the files it lists), for the tests of publish-tool.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASE_FILE } from '../../src/publish/tool.js';
import { tmpDir } from './tmp.js';

export function builtRelease(version: string, files: Record<string, string> = { wso2update_linux: `exe ${version}`, 'wso2update.code': `code ${version}` }): string {
  const d = tmpDir();
  const listed: Record<string, unknown> = {};
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(d, name), content);
    listed[name] = { platform: name.endsWith('.code') ? 'code' : 'linux-x64', sha256: createHash('sha256').update(content).digest('hex'), size: Buffer.byteLength(content) };
  }
  writeFileSync(join(d, RELEASE_FILE), JSON.stringify({ version, runtime: '20.18.0', files: listed }));
  return d;
}
