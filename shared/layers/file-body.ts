import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Digest } from '../image';
import type { LayerLimits } from './limits';
import type { LayerEntry, SelectedFile } from './listing';

/**
 * How a consumer wants a selected file's body:
 * - `bytes`: in memory, cut at `maxFileBytes` (and flagged `truncated`);
 * - `ranges`: whole, read by range; bodies over `spillAboveBytes` go to a temporary file
 *   instead of memory (binaries, whose metadata sits anywhere in a file of any size).
 */
export type Delivery = 'bytes' | 'ranges';

type Consumer = (file: SelectedFile) => void | Promise<void>;

/** Reads a tar entry's body as `delivery` asks and hands it to `consume`; cleans up after it. */
export async function deliverBody(
  body: AsyncIterable<unknown>,
  file: { layer: Digest; entry: LayerEntry; delivery: Delivery; limits: LayerLimits },
  consume: Consumer,
): Promise<void> {
  const { layer, entry, delivery, limits } = file;
  if (delivery === 'ranges' && entry.size > limits.spillAboveBytes) {
    await spill(body, { layer, entry }, consume);
    return;
  }
  const maxBytes = delivery === 'ranges' ? Number.POSITIVE_INFINITY : limits.maxFileBytes;
  await consume(await readInMemory(body, { layer, entry }, maxBytes));
}

async function readInMemory(
  body: AsyncIterable<unknown>,
  file: { layer: Digest; entry: LayerEntry },
  maxBytes: number,
): Promise<SelectedFile> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  for await (const data of body) {
    const chunk = data as Buffer;
    seen += chunk.length;
    if (kept < maxBytes) {
      const part = chunk.length <= maxBytes - kept ? chunk : chunk.subarray(0, maxBytes - kept);
      chunks.push(part);
      kept += part.length;
    }
  }
  const bytes = Buffer.concat(chunks, kept);
  return {
    ...file,
    bytes,
    truncated: seen > kept,
    read: (position, length) => Promise.resolve(slice(bytes, position, length)),
  };
}

/** Streams the body to a private temporary file, reads ranges from it, and deletes it after. */
async function spill(
  body: AsyncIterable<unknown>,
  file: { layer: Digest; entry: LayerEntry },
  consume: Consumer,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'clearance-spill-'));
  let handle: FileHandle | undefined;
  try {
    handle = await open(join(dir, 'body'), 'w+', 0o600);
    let size = 0;
    for await (const data of body) {
      const chunk = data as Buffer;
      await handle.write(chunk, 0, chunk.length, size);
      size += chunk.length;
    }
    const opened = handle;
    await consume({
      ...file,
      bytes: Buffer.alloc(0),
      truncated: true,
      read: (position, length) => readRange(opened, size, position, length),
    });
  } finally {
    await handle?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function readRange(
  handle: FileHandle,
  size: number,
  position: number,
  length: number,
): Promise<Buffer> {
  const start = Math.min(Math.max(position, 0), size);
  const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - start)));
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

function slice(bytes: Buffer, position: number, length: number): Buffer {
  const start = Math.min(Math.max(position, 0), bytes.length);
  return bytes.subarray(start, start + Math.max(0, length));
}
