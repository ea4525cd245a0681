import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { extract } from 'tar-stream';
import { isClearanceError, messageOf } from '../core';
import { ImageNotFoundError, InvalidImageLayoutError } from '../image';
import { openRegularFile } from './local-files';

/** Where a regular file's body sits in a tar archive. */
export interface ArchiveEntry {
  readonly offset: number;
  readonly size: number;
}

const STREAM_CHUNK = 1 << 20;
/**
 * `docker save` writes a few entries per layer and image (Docker caps an image at 127 layers):
 * an archive with more than this many is not one, and its index would only cost memory.
 */
export const MAX_ARCHIVE_ENTRIES = 100_000;

/**
 * One pass over the archive's headers, recording where each regular file's body sits. The
 * archive must be a regular file (a FIFO or a device such as /dev/zero is refused up front).
 */
export async function indexArchive(
  path: string,
  reference: string,
): Promise<Map<string, ArchiveEntry>> {
  const entries = new Map<string, ArchiveEntry>();
  const reader = extract();
  const input = createReadStream('', {
    fd: await openArchive(path, reference),
    highWaterMark: STREAM_CHUNK,
  });
  input.on('error', (cause) => reader.destroy(cause));
  input.pipe(reader);
  let seen = 0;
  try {
    for await (const body of reader) {
      if (++seen > MAX_ARCHIVE_ENTRIES)
        throw new InvalidImageLayoutError(
          `${reference} has more than ${MAX_ARCHIVE_ENTRIES} entries, more than any image archive`,
        );
      const { name, size, type, byteOffset } = body.header as typeof body.header & {
        byteOffset: number;
      };
      if (type === 'file' || type === 'contiguous-file')
        entries.set(name.replace(/^\.\//, ''), { offset: byteOffset, size });
      body.resume();
    }
  } catch (cause) {
    if (isClearanceError(cause)) throw cause;
    throw new InvalidImageLayoutError(
      `${reference} is not a readable tar archive: ${messageOf(cause)}`,
      { cause },
    );
  } finally {
    reader.destroy();
    input.destroy();
  }
  return entries;
}

async function openArchive(path: string, reference: string): Promise<FileHandle> {
  try {
    return await openRegularFile(path, reference);
  } catch (cause) {
    if (isClearanceError(cause)) throw cause;
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ImageNotFoundError(`cannot open ${reference}: no such file`, { cause });
    throw new InvalidImageLayoutError(`cannot open ${reference}: ${messageOf(cause)}`, { cause });
  }
}
