// Whether the file system holding a folder stores two spellings as one name: case (Windows, macOS by default) or
// Unicode normalization (macOS). Asked with a probe file in the tool's own folder, only when a level ships such
// twins, so that apply refuses to land two shipped files onto one.
import { lstatSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Folding {
  case: boolean;
  unicode: boolean;
}

export type FoldProbe = (dir: string) => Folding;

export const probeFolding: FoldProbe = (dir) => {
  const tag = `.wso2update-fold-${Math.random().toString(36).slice(2)}`;
  const test = (written: string, asked: string): boolean => {
    const file = join(dir, written);
    writeFileSync(file, '', { flag: 'wx' });
    try {
      return lstatSync(join(dir, asked), { throwIfNoEntry: false }) !== undefined;
    } finally {
      rmSync(file, { force: true });
    }
  };
  return { case: test(`${tag}-a`, `${tag}-A`), unicode: test(`${tag}-\u00e9`, `${tag}-e\u0301`) };
};
