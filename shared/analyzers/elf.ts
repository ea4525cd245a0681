/**
 * Just enough ELF (System V gABI, https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.intro.html)
 * to find a named section or a loaded address in an executable, reading only the headers and
 * the ranges asked for. 32- and 64-bit, either byte order.
 */

import { ClearanceError, type ErrorKind } from '../core';
import type { AnalyzerFileInfo } from './analyzer';

/** Whether a file may be an executable worth opening: any execute bit set, as Trivy selects. */
export function isExecutable(info: AnalyzerFileInfo): boolean {
  return (info.mode & 0o111) !== 0;
}

/** Reads up to `length` bytes at `position` of the file. */
export type ReadRange = (position: number, length: number) => Promise<Buffer>;

export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
}

export interface ElfSegment {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
}

export interface ElfFile {
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly size: number;
  /** Empty when the section table was stripped (`sstrip`), as the loader does not need it. */
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
  readonly read: ReadRange;
}

/**
 * The file is ELF but its headers or the data they point at do not hold together. Analysers
 * catch it and record a problem (STYLE.md §9); it never leaves `analyze`.
 */
export class MalformedElfError extends ClearanceError {
  readonly code = 'ELF_MALFORMED';
  readonly kind: ErrorKind = 'input';
}

export const PT_LOAD = 1;
export const PF_W = 2;
const SHT_NOBITS = 8;
const MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
/** Section and program header tables larger than this are not what a linker writes. */
const MAX_TABLE_BYTES = 4 * 1024 * 1024;

/** The file's ELF headers, or undefined when it is not ELF (a script, a text file). */
export async function readElf(read: ReadRange, size: number): Promise<ElfFile | undefined> {
  const ident = await read(0, 64);
  if (ident.length < 52 || !ident.subarray(0, 4).equals(MAGIC)) return undefined;
  const is64 = ident[4] === 2;
  const littleEndian = ident[5] === 1;
  if (ident[4] !== 1 && !is64) throw new MalformedElfError(`unknown ELF class ${ident[4]}`);
  if (ident[5] !== 1 && ident[5] !== 2)
    throw new MalformedElfError(`unknown byte order ${ident[5]}`);
  const f = fields(ident, is64, littleEndian);
  const header = is64
    ? { phoff: f.u64(32), shoff: f.u64(40), phentsize: f.u16(54), phnum: f.u16(56) }
    : { phoff: f.u32(28), shoff: f.u32(32), phentsize: f.u16(42), phnum: f.u16(44) };
  const shentsize = f.u16(is64 ? 58 : 46);
  const shnum = f.u16(is64 ? 60 : 48);
  const shstrndx = f.u16(is64 ? 62 : 50);
  const file = { is64, littleEndian, size, read };
  const segmentTable = await table(file, header.phoff, header.phentsize, header.phnum, 'program');
  const segments = segmentTable.map((entry) => segmentOf(fields(entry, is64, littleEndian), is64));
  const sectionTable = await table(file, header.shoff, shentsize, shnum, 'section');
  const raw = sectionTable.map((entry) => sectionOf(fields(entry, is64, littleEndian), is64));
  return { ...file, segments, sections: await named(file, raw, shstrndx) };
}

/**
 * An executable's ELF headers for an analyser: undefined when the file is not ELF, the error
 * (to report, not throw) when its headers do not hold together.
 */
export async function readExecutable(file: {
  read: ReadRange;
  size: number;
}): Promise<ElfFile | undefined | MalformedElfError> {
  try {
    return await readElf((position, length) => file.read(position, length), file.size);
  } catch (error) {
    if (error instanceof MalformedElfError) return error;
    throw error;
  }
}

/** A section's bytes, up to `maxBytes` (a bound against a forged size). */
export async function sectionBytes(
  elf: ElfFile,
  section: ElfSection,
  maxBytes: number,
): Promise<Buffer> {
  if (section.type === SHT_NOBITS) return Buffer.alloc(0);
  if (section.size > maxBytes)
    throw new MalformedElfError(
      `section ${section.name} is ${section.size} bytes, more than the ${maxBytes} read`,
    );
  return exactly(elf, section.offset, section.size, `section ${section.name}`);
}

/** Reads `length` bytes at virtual address `addr`, through the loadable segment holding it. */
export async function readAddress(elf: ElfFile, addr: number, length: number): Promise<Buffer> {
  const segment = elf.segments.find(
    (s) => s.type === PT_LOAD && addr >= s.vaddr && addr + length <= s.vaddr + s.filesz,
  );
  if (segment === undefined)
    throw new MalformedElfError(`address 0x${addr.toString(16)} is in no loaded segment`);
  return exactly(elf, segment.offset + (addr - segment.vaddr), length, 'data');
}

/** Reads exactly `length` bytes or fails: the file ends before what its headers promise. */
export async function exactly(
  elf: Pick<ElfFile, 'read' | 'size'>,
  offset: number,
  length: number,
  what: string,
): Promise<Buffer> {
  if (offset < 0 || length < 0 || offset + length > elf.size)
    throw new MalformedElfError(
      `${what} at ${offset}+${length} is past the end of the file (${elf.size} bytes)`,
    );
  const bytes = await elf.read(offset, length);
  if (bytes.length !== length)
    throw new MalformedElfError(`${what} at ${offset}: read ${bytes.length} of ${length} bytes`);
  return bytes;
}

async function table(
  file: Pick<ElfFile, 'read' | 'size' | 'is64'>,
  offset: number,
  entrySize: number,
  count: number,
  what: string,
): Promise<Buffer[]> {
  if (offset === 0 || count === 0) return [];
  const minimum = what === 'program' ? (file.is64 ? 56 : 32) : file.is64 ? 64 : 40;
  if (entrySize < minimum || entrySize * count > MAX_TABLE_BYTES)
    throw new MalformedElfError(`${what} header table: ${count} entries of ${entrySize} bytes`);
  const bytes = await exactly(file, offset, entrySize * count, `${what} header table`);
  return Array.from({ length: count }, (_, i) =>
    bytes.subarray(i * entrySize, (i + 1) * entrySize),
  );
}

type RawSection = Omit<ElfSection, 'name'> & { readonly nameOffset: number };

async function named(
  file: Pick<ElfFile, 'read' | 'size'>,
  sections: readonly RawSection[],
  shstrndx: number,
): Promise<ElfSection[]> {
  if (sections.length === 0) return [];
  const strings = sections[shstrndx];
  if (strings === undefined || strings.size > MAX_TABLE_BYTES)
    throw new MalformedElfError(`section name table ${shstrndx} of ${sections.length} is invalid`);
  const names = await exactly(file, strings.offset, strings.size, 'section name table');
  return sections.map(({ nameOffset, ...section }) => {
    const end = names.indexOf(0, nameOffset);
    return { ...section, name: names.toString('latin1', nameOffset, end < 0 ? undefined : end) };
  });
}

function sectionOf(f: Fields, is64: boolean): RawSection {
  return is64
    ? {
        nameOffset: f.u32(0),
        type: f.u32(4),
        flags: f.u64(8),
        addr: f.u64(16),
        offset: f.u64(24),
        size: f.u64(32),
      }
    : {
        nameOffset: f.u32(0),
        type: f.u32(4),
        flags: f.u32(8),
        addr: f.u32(12),
        offset: f.u32(16),
        size: f.u32(20),
      };
}

function segmentOf(f: Fields, is64: boolean): ElfSegment {
  return is64
    ? { type: f.u32(0), flags: f.u32(4), offset: f.u64(8), vaddr: f.u64(16), filesz: f.u64(32) }
    : { type: f.u32(0), flags: f.u32(24), offset: f.u32(4), vaddr: f.u32(8), filesz: f.u32(16) };
}

interface Fields {
  u16(at: number): number;
  u32(at: number): number;
  /** A 64-bit field, which must fit a JavaScript number (every real file offset and address does). */
  u64(at: number): number;
}

function fields(bytes: Buffer, is64: boolean, littleEndian: boolean): Fields {
  return {
    u16: (at) => (littleEndian ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at)),
    u32: (at) => (littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at)),
    u64: (at) => {
      if (!is64) throw new MalformedElfError('64-bit field in a 32-bit file');
      const value = littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at);
      if (value > BigInt(Number.MAX_SAFE_INTEGER))
        throw new MalformedElfError(`value 0x${value.toString(16)} at ${at} is out of range`);
      return Number(value);
    },
  };
}
