import { exactly, MalformedElfError } from './elf';
import type { GoExecutable } from './go-exe';

/*
 * Go's build info (`runtime/debug.BuildInfo`, Go 1.13+), found and read the way
 * `debug/buildinfo` does: a 32-byte header with a magic at a 16-byte boundary of the data, then
 * the Go version and the module text, inline (Go 1.18+) or through pointers (before).
 */

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_BYTES = 32;
const ALIGN = 16;
/** Version and module strings: a large application lists a few thousand modules. */
const MAX_STRING_BYTES = 4 * 1024 * 1024;
const FLAG_BIG_ENDIAN = 1;
const FLAG_INLINE_STRINGS = 2;

/** The build info's Go version and module text; undefined for a binary Go did not link. */
export async function readBuildInfo(
  elf: GoExecutable,
): Promise<{ goVersion: string; modinfo: string } | undefined> {
  const offset = await findHeader(elf);
  if (offset === undefined) return undefined;
  const header = await exactly(elf, offset, HEADER_BYTES, 'build info header');
  const pointerSize = header[14]!;
  const flags = header[15]!;
  if ((flags & FLAG_INLINE_STRINGS) !== 0) {
    const version = await varintString(elf, offset + HEADER_BYTES);
    const modinfo = await varintString(elf, version.end);
    return { goVersion: version.bytes.toString('utf8'), modinfo: stripSentinels(modinfo.bytes) };
  }
  // Before Go 1.18: two pointers to Go string headers, in the binary's own byte order.
  if (pointerSize !== 4 && pointerSize !== 8)
    throw new MalformedElfError(`pointer size ${pointerSize} in the header`);
  const pointer = pointerReader(pointerSize, (flags & FLAG_BIG_ENDIAN) === 0);
  const goVersion = await goString(elf, pointer, pointer(header, 16));
  const modinfo = await goString(elf, pointer, pointer(header, 16 + pointerSize));
  return { goVersion: goVersion.toString('utf8'), modinfo: stripSentinels(modinfo) };
}

/**
 * The file offset of the build info header: at the start of its section, or, when the section
 * table is gone, at a 16-byte boundary near the start of the writable segment, as Go searches.
 */
async function findHeader(elf: GoExecutable): Promise<number | undefined> {
  if (elf.buildInfoRegion === undefined) return undefined;
  const { offset: start, size } = elf.buildInfoRegion;
  const length = Math.min(size, elf.size - start);
  const data = await exactly(elf, start, Math.max(0, length), 'build info');
  for (let at = 0; at + HEADER_BYTES <= data.length; at += ALIGN) {
    if (data.subarray(at, at + MAGIC.length).equals(MAGIC)) return start + at;
  }
  return undefined;
}

type PointerReader = (bytes: Buffer, at: number) => number;

function pointerReader(size: 4 | 8, littleEndian: boolean): PointerReader {
  if (size === 4)
    return (bytes, at) => (littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  return (bytes, at) => {
    const value = littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new MalformedElfError(`pointer 0x${value.toString(16)} is out of range`);
    return Number(value);
  };
}

/** A Go string header (data pointer, length) at `addr`, and the string it points at. */
async function goString(elf: GoExecutable, pointer: PointerReader, addr: number): Promise<Buffer> {
  const size = elf.is64 ? 8 : 4;
  const header = await elf.readAddress(addr, 2 * size);
  const length = pointer(header, size);
  if (length > MAX_STRING_BYTES) throw new MalformedElfError(`string of ${length} bytes`);
  return elf.readAddress(pointer(header, 0), length);
}

/** A string written as its uvarint length and its bytes, at file offset `at`. */
async function varintString(
  elf: GoExecutable,
  at: number,
): Promise<{ bytes: Buffer; end: number }> {
  const prefix = await elf.read(at, 5);
  let length = 0;
  let used = 0;
  for (let more = true; more; used++) {
    if (used === prefix.length) throw new MalformedElfError(`bad string length at ${at}`);
    const byte = prefix[used]!;
    length += (byte & 0x7f) * 2 ** (7 * used);
    more = (byte & 0x80) !== 0;
  }
  if (length > MAX_STRING_BYTES) throw new MalformedElfError(`string of ${length} bytes at ${at}`);
  const bytes = await exactly(elf, at + used, length, 'build info string');
  return { bytes, end: at + used + length };
}

/**
 * Go wraps the module text in two 16-byte sentinels so the linker can find it; they are cut
 * from the bytes (they are not UTF-8) when the text ends with its newline before the second.
 */
function stripSentinels(bytes: Buffer): string {
  if (bytes.length >= 33 && bytes[bytes.length - 17] === 0x0a)
    return bytes.toString('utf8', 16, bytes.length - 16);
  return bytes.toString('utf8');
}
