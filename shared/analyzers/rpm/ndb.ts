import { byteReader, type BlobsRead, type ByteReader } from './blobs';
import { messageOf } from '../../core';

// rpm's NDB package database, `Packages.db` (SUSE), little-endian throughout
// (rpm lib/backend/ndb/rpmpkg.c).
/** 'RpmP', 'Slot', 'BlbS' read as little-endian u32. */
const PKGDB_MAGIC = 0x506d7052;
const SLOT_MAGIC = 0x746f6c53;
const BLOB_MAGIC = 0x53626c42;
const PKGDB_VERSION = 0;
/** Header: magic, version, generation, slot page count, next package index; 32 bytes. */
const HEADER_VERSION = 4;
const HEADER_SLOT_PAGES = 12;
const HEADER_BYTES = 32;
const PAGE_SIZE = 4096;
/** Slot: magic, package index, block offset, block count. */
const SLOT_BYTES = 16;
/** Blob offsets and lengths count 16-byte blocks. */
const BLOCK_BYTES = 16;
/** Blob head: magic, package index, generation, length; the tail (adler32, length, magic) follows. */
const BLOB_HEAD_BYTES = 16;
const BLOB_TAIL_BYTES = 12;

/**
 * The header blobs of an rpm NDB `Packages.db` (SUSE): a slot page table pointing at blobs.
 * A bad file header yields no blobs; a bad slot or blob is skipped with a problem.
 */
export function ndbBlobs(bytes: Buffer): BlobsRead {
  const read = byteReader(bytes, true);
  if (bytes.length < HEADER_BYTES || read.u32(0) !== PKGDB_MAGIC)
    return { blobs: [], problems: ['ndb: not an rpm NDB package database (bad magic)'] };
  if (read.u32(HEADER_VERSION) !== PKGDB_VERSION)
    return { blobs: [], problems: [`ndb: unsupported version ${read.u32(HEADER_VERSION)}`] };
  const slotsEnd = read.u32(HEADER_SLOT_PAGES) * PAGE_SIZE;
  const blobs: Buffer[] = [];
  const problems: string[] = [];
  if (slotsEnd > bytes.length)
    problems.push(`ndb: expected ${slotsEnd} bytes of slots, got ${bytes.length}`);
  for (
    let at = HEADER_BYTES;
    at + SLOT_BYTES <= Math.min(slotsEnd, bytes.length);
    at += SLOT_BYTES
  ) {
    try {
      const blob = slotBlob(read, at);
      if (blob !== undefined) blobs.push(blob);
    } catch (error) {
      problems.push(`ndb: slot at ${at}: ${messageOf(error)}`);
    }
  }
  return { blobs, problems };
}

/** The blob a slot points at, or undefined for an empty slot. */
function slotBlob(read: ByteReader, at: number): Buffer | undefined {
  if (read.u32(at) !== SLOT_MAGIC) throw new RangeError('bad slot magic');
  const pkgIdx = read.u32(at + 4);
  const blockOffset = read.u32(at + 8);
  const blockCount = read.u32(at + 12);
  if (blockOffset === 0) return undefined;
  const start = blockOffset * BLOCK_BYTES;
  if (read.u32(start) !== BLOB_MAGIC || read.u32(start + 4) !== pkgIdx)
    throw new RangeError(`no blob for package ${pkgIdx} at ${start}`);
  const length = read.u32(start + 12);
  if (BLOB_HEAD_BYTES + length + BLOB_TAIL_BYTES > blockCount * BLOCK_BYTES)
    throw new RangeError(`blob of ${length} bytes overruns its ${blockCount} blocks`);
  return read.slice(start + BLOB_HEAD_BYTES, start + BLOB_HEAD_BYTES + length);
}
