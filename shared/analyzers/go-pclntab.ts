/**
 * The names of the functions a Go binary holds, from its function table (`pclntab`), which the
 * runtime needs for stack traces and which `-ldflags=-s -w` therefore keeps. Since Go 1.16 the
 * table starts with a header (`runtime.pcHeader`, src/runtime/symtab.go) that points at
 * `funcnametab`: every function's name, NUL-terminated, including the functions that were
 * inlined into others (the linker walks each inline tree: cmd/link/internal/ld/pcln.go,
 * `walkFuncs`). The names are streamed; nothing but one chunk is held.
 */

import { exactly, MalformedElfError } from './elf';
import type { FileRegion, GoExecutable } from './go-exe';

/** Header magics of Go 1.16–1.17, 1.18–1.19 and 1.20+; 1.2–1.15 is the old layout. */
const MAGICS = [0xfffffffa, 0xfffffff0, 0xfffffff1] as const;
const MAGIC_GO12 = 0xfffffffb;
/** The header's fields up to `pclnOffset`, for a 64-bit pointer size. */
const HEADER_BYTES = 8 + 8 * 8;
/** Bytes read at once while searching and while reading names. */
const CHUNK_BYTES = 1 << 20;
/** A function name table larger than this is not read (the largest real ones are ~10 MiB). */
const MAX_NAME_TABLE_BYTES = 64 * 1024 * 1024;
/**
 * How much of a binary without a named table is searched for one: the largest real Go
 * binaries are a few hundred MiB, and a forged one must not make the search read 50 GB.
 */
const MAX_SEARCH_BYTES = 1024 * 1024 * 1024;
/** More functions than any linker writes. */
const MAX_FUNCTIONS = 10_000_000;

/** Where the names are, once the header is read. */
interface NameTable {
  readonly offset: number;
  readonly size: number;
}

/** The names were read, or why they could not be. */
export type FunctionNamesRead =
  { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Calls `onName` with every function name in the binary's table. Never throws for a file that
 * is not what it should be: the reason is returned instead.
 */
export async function readFunctionNames(
  exe: GoExecutable,
  onName: (name: string) => void,
): Promise<FunctionNamesRead> {
  try {
    const table = await findNameTable(exe);
    if (typeof table === 'string') return { ok: false, reason: table };
    await streamNames(exe, table, onName);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof MalformedElfError)) throw error;
    return { ok: false, reason: `function table: ${error.message}` };
  }
}

/** The name table, or why there is none to read. */
async function findNameTable(exe: GoExecutable): Promise<NameTable | string> {
  if (exe.pclntabSection !== undefined) {
    const { offset, size } = exe.pclntabSection;
    const header = await exactly(exe, offset, Math.min(HEADER_BYTES, size), 'function table');
    return (
      nameTableAt(exe, header, offset, offset + size) ??
      'the function table section has no header Go writes'
    );
  }
  let budget = MAX_SEARCH_BYTES;
  for (const region of exe.pclntabRegions) {
    const searched = { ...region, size: Math.min(region.size, budget) };
    const found = await searchRegion(exe, searched);
    if (found !== undefined) return found;
    budget -= searched.size;
    if (budget <= 0)
      return `no function table found in the first ${MAX_SEARCH_BYTES} bytes searched`;
  }
  return 'no function table found';
}

/** The first valid header in `region`, searched chunk by chunk at 4-byte alignment. */
async function searchRegion(
  exe: GoExecutable,
  region: FileRegion,
): Promise<NameTable | string | undefined> {
  const end = Math.min(region.offset + region.size, exe.size);
  const patterns = [...MAGICS, MAGIC_GO12].map((magic) => word(magic, exe.littleEndian));
  for (let start = region.offset; start < end; start += CHUNK_BYTES) {
    const length = Math.min(CHUNK_BYTES + HEADER_BYTES, end - start);
    const chunk = await exactly(exe, start, length, 'function table search');
    for (const pattern of patterns) {
      for (let at = chunk.indexOf(pattern); at >= 0; at = chunk.indexOf(pattern, at + 1)) {
        if (at >= CHUNK_BYTES || (start + at) % 4 !== 0) continue;
        const header = chunk.subarray(at, at + HEADER_BYTES);
        const table = nameTableAt(exe, header, start + at, end);
        if (table !== undefined) return table;
      }
    }
  }
  return undefined;
}

/**
 * The name table of the header at file offset `at`, if `header` is one Go writes: magic, two
 * zero pad bytes, an instruction size of 1, 2 or 4, the binary's pointer size, a plausible
 * function count and table offsets in order within `end`. The Go 1.2 layout is recognised and
 * refused with its reason.
 */
function nameTableAt(
  exe: GoExecutable,
  header: Buffer,
  at: number,
  end: number,
): NameTable | string | undefined {
  const pointer = exe.is64 ? 8 : 4;
  const magic = headerMagic(header, pointer, exe.littleEndian);
  if (magic === MAGIC_GO12)
    return 'the function table is of Go 1.2–1.15, whose names this version does not read';
  if (magic === undefined || header.length < 8 + 8 * pointer) return undefined;
  const field = (i: number) => readWord(header, 8 + i * pointer, pointer, exe.littleEndian);
  const first = magic === MAGICS[0] ? 2 : 3; // Go 1.18 added textStart before the offsets
  const offsets = [0, 1, 2, 3, 4].map((i) => field(first + i));
  const ordered = offsets.every((o, i) => i === 0 || o >= offsets[i - 1]!);
  const nfunc = field(0);
  if (nfunc === 0 || nfunc > MAX_FUNCTIONS || !ordered || offsets[0]! < 8 + 8 * pointer)
    return undefined;
  if (at + offsets[4]! > end) return undefined;
  return { offset: at + offsets[0]!, size: offsets[1]! - offsets[0]! };
}

/** The magic of a header that starts as Go writes one (pad, instruction and pointer size). */
function headerMagic(header: Buffer, pointer: number, littleEndian: boolean): number | undefined {
  if (header.length < 8 || header[4] !== 0 || header[5] !== 0) return undefined;
  if (![1, 2, 4].includes(header[6]!) || header[7] !== pointer) return undefined;
  const magic = littleEndian ? header.readUInt32LE(0) : header.readUInt32BE(0);
  return magic === MAGIC_GO12 || (MAGICS as readonly number[]).includes(magic) ? magic : undefined;
}

/** Every NUL-terminated name of the table, read a chunk at a time. */
async function streamNames(
  exe: GoExecutable,
  table: NameTable,
  onName: (name: string) => void,
): Promise<void> {
  if (table.size > MAX_NAME_TABLE_BYTES)
    throw new MalformedElfError(
      `function names take ${table.size} bytes, more than the ${MAX_NAME_TABLE_BYTES} read`,
    );
  let carry = Buffer.alloc(0);
  for (let done = 0; done < table.size; done += CHUNK_BYTES) {
    const length = Math.min(CHUNK_BYTES, table.size - done);
    const chunk = Buffer.concat([
      carry,
      await exactly(exe, table.offset + done, length, 'function names'),
    ]);
    let start = 0;
    for (let nul = chunk.indexOf(0); nul >= 0; nul = chunk.indexOf(0, start)) {
      if (nul > start) onName(chunk.toString('utf8', start, nul));
      start = nul + 1;
    }
    carry = chunk.subarray(start);
  }
  if (carry.length > 0) onName(carry.toString('utf8'));
}

function word(value: number, littleEndian: boolean): Buffer {
  const bytes = Buffer.alloc(4);
  if (littleEndian) bytes.writeUInt32LE(value);
  else bytes.writeUInt32BE(value);
  return bytes;
}

function readWord(bytes: Buffer, at: number, size: number, littleEndian: boolean): number {
  if (size === 4) return littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
  const value = littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}
