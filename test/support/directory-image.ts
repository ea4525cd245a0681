import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { FileSpec } from './image-builder';

/** Files of a fixture directory that describe it rather than belong to the image. */
const NOT_IN_IMAGE = new Set(['expected.json', 'README.md']);

/**
 * A fixture directory as one layer's files: regular files with their bytes and modes, symlinks
 * as written (Debian's `usr/share/maven-repo` is made of them); directories are implied.
 */
export function directoryFiles(root: string, prefix = ''): Record<string, FileSpec> {
  const files: Record<string, FileSpec> = {};
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (prefix === '' && NOT_IN_IMAGE.has(name)) continue;
    const stat = lstatSync(join(root, path));
    if (stat.isSymbolicLink())
      files[path] = { type: 'symlink', linkname: readlinkSync(join(root, path)) };
    else if (stat.isDirectory()) Object.assign(files, directoryFiles(root, path));
    else
      files[path] = {
        type: 'file',
        content: readFileSync(join(root, path)),
        mode: stat.mode & 0o777,
      };
  }
  return files;
}
