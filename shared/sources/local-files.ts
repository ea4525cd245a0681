import { constants, type Stats } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { InvalidImageLayoutError } from '../image';

/*
 * Files of a local image (an OCI layout's index.json, oci-layout and blobs; a docker archive)
 * are opened only when they are regular files: a FIFO would block the open, a device such as
 * /dev/zero would never end, a directory fails mid-read with a raw EISDIR.
 */

/** A read of a file whole takes at most this much per call. */
const READ_CHUNK = 1024 * 1024;

/**
 * Opens `path` for reading when it is a regular file (a symlink to one counts), else fails with
 * {@link InvalidImageLayoutError} naming `what`. The open does not wait for a FIFO's writer;
 * the type is checked on the opened handle, so a swap between the check and the read cannot
 * slip a device in. Errors of the open itself (ENOENT, EACCES) are thrown as they are, for the
 * caller to word.
 */
export async function openRegularFile(path: string, what: string): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new InvalidImageLayoutError(`${what} is not a regular file but ${kindOf(info)}`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * {@link openRegularFile}, and the file must lie inside the directory `root`: a symlink that
 * leads out of it (to /etc, to another image) is refused. Checked on what was opened: the
 * resolved path must be the very file of the handle.
 */
export async function openFileInside(
  root: string,
  path: string,
  what: string,
): Promise<FileHandle> {
  const handle = await openRegularFile(path, what);
  try {
    const [realRoot, realPath] = await Promise.all([realpath(root), realpath(path)]);
    const inside = relative(realRoot, realPath);
    const [opened, resolved] = await Promise.all([handle.stat(), stat(realPath)]);
    if (inside.startsWith('..') || isAbsolute(inside) || !sameFile(opened, resolved))
      throw new InvalidImageLayoutError(`${what} leads outside ${root} (to ${realPath})`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reads an open file whole, failing with `tooLarge()` as soon as it passes `limit` bytes: the
 * size `stat` reports is not trusted (a file can grow while read; /proc files report 0).
 */
export async function readAtMost(
  handle: FileHandle,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, limit + 1 - total));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > limit) throw tooLarge();
    chunks.push(buffer.subarray(0, bytesRead));
  }
  return Buffer.concat(chunks, total);
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}
