import { createReadStream } from 'node:fs';
import { extract } from 'tar-stream';
import { ImageNotFoundError, InvalidImageLayoutError } from '../image/errors';

/** Where a regular file's body sits in a tar archive. */
export interface ArchiveEntry {
  readonly offset: number;
  readonly size: number;
}

const STREAM_CHUNK = 1 << 20;

/** One pass over the archive's headers, recording where each regular file's body sits. */
export async function indexArchive(
  path: string,
  reference: string,
): Promise<Map<string, ArchiveEntry>> {
  const entries = new Map<string, ArchiveEntry>();
  const reader = extract();
  const input = createReadStream(path, { highWaterMark: STREAM_CHUNK });
  input.on('error', (cause) => reader.destroy(cause));
  input.pipe(reader);
  try {
    for await (const body of reader) {
      const { name, size, type, byteOffset } = body.header as typeof body.header & {
        byteOffset: number;
      };
      if (type === 'file' || type === 'contiguous-file')
        entries.set(name.replace(/^\.\//, ''), { offset: byteOffset, size });
      body.resume();
    }
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ImageNotFoundError(`cannot open ${reference}: no such file`, { cause });
    throw new InvalidImageLayoutError(
      `${reference} is not a readable tar archive: ${(cause as Error).message}`,
      { cause },
    );
  }
  return entries;
}
