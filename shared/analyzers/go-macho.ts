/**
 * Just enough Mach-O (Apple's `mach-o/loader.h`) to read what the Go linker leaves in a macOS
 * executable: the CPU, the segments and their sections. Reads the load commands only; fat
 * (universal) files, which Go never writes, are not read.
 */

import { exactly, MalformedElfError, type ReadRange } from './elf';

export interface MachoSection {
  readonly name: string;
  readonly addr: number;
  readonly size: number;
  readonly offset: number;
}

export interface MachoSegment {
  readonly name: string;
  readonly vmaddr: number;
  readonly fileoff: number;
  readonly filesize: number;
  readonly maxprot: number;
  readonly initprot: number;
}

export interface MachoFile {
  readonly cputype: number;
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly segments: readonly MachoSegment[];
  readonly sections: readonly MachoSection[];
}

const MH_MAGIC = 0xfeedface;
const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;
/** Load commands larger than this are not what a linker writes. */
const MAX_COMMANDS_BYTES = 4 * 1024 * 1024;
const CPU_ARCH_ABI64 = 0x01000000;

/** Mach-O CPU types and the GOARCH each is. */
export const MACHO_CPUS: Readonly<Record<number, string>> = {
  7: '386',
  [7 | CPU_ARCH_ABI64]: 'amd64',
  12: 'arm',
  [12 | CPU_ARCH_ABI64]: 'arm64',
  [18 | CPU_ARCH_ABI64]: 'ppc64',
};

/** The file's Mach-O headers, or undefined when it is not a (thin) Mach-O file. */
export async function readMacho(read: ReadRange, size: number): Promise<MachoFile | undefined> {
  const head = await read(0, 32);
  if (head.length < 28) return undefined;
  const le = head.readUInt32LE(0);
  const be = head.readUInt32BE(0);
  const littleEndian = le === MH_MAGIC || le === MH_MAGIC_64;
  if (!littleEndian && be !== MH_MAGIC && be !== MH_MAGIC_64) return undefined;
  const is64 = (littleEndian ? le : be) === MH_MAGIC_64;
  const u32 = (b: Buffer, at: number) => (littleEndian ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const ncmds = u32(head, 16);
  const sizeofcmds = u32(head, 20);
  if (sizeofcmds > MAX_COMMANDS_BYTES)
    throw new MalformedElfError(`Mach-O load commands of ${sizeofcmds} bytes`);
  const commands = await exactly(
    { read, size },
    is64 ? 32 : 28,
    sizeofcmds,
    'Mach-O load commands',
  );
  const segments: MachoSegment[] = [];
  const sections: MachoSection[] = [];
  for (let at = 0, i = 0; i < ncmds; i++) {
    if (at + 8 > commands.length)
      throw new MalformedElfError(`Mach-O load command ${i} is cut short`);
    const cmd = u32(commands, at);
    const cmdsize = u32(commands, at + 4);
    if (cmdsize < 8 || at + cmdsize > commands.length)
      throw new MalformedElfError(`Mach-O load command ${i} of ${cmdsize} bytes`);
    if (cmd === LC_SEGMENT || cmd === LC_SEGMENT_64)
      readSegment(commands.subarray(at, at + cmdsize), cmd === LC_SEGMENT_64, littleEndian, {
        segments,
        sections,
      });
    at += cmdsize;
  }
  return { cputype: u32(head, 4), is64, littleEndian, segments, sections };
}

function readSegment(
  bytes: Buffer,
  is64: boolean,
  littleEndian: boolean,
  into: { segments: MachoSegment[]; sections: MachoSection[] },
): void {
  const u32 = (at: number) => (littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const word = (at: number) => (is64 ? u64(bytes, at, littleEndian) : u32(at));
  const name = (at: number) => {
    const end = bytes.indexOf(0, at);
    return bytes.toString('latin1', at, end < 0 || end > at + 16 ? at + 16 : end);
  };
  const [headerBytes, sectionBytes] = is64 ? [72, 80] : [56, 68];
  if (bytes.length < headerBytes) throw new MalformedElfError('Mach-O segment command cut short');
  const w = is64 ? 8 : 4;
  into.segments.push({
    name: name(8),
    vmaddr: word(24),
    fileoff: word(24 + 2 * w),
    filesize: word(24 + 3 * w),
    maxprot: u32(24 + 4 * w),
    initprot: u32(28 + 4 * w),
  });
  const nsects = u32(32 + 4 * w);
  if (headerBytes + nsects * sectionBytes > bytes.length)
    throw new MalformedElfError(`Mach-O segment of ${nsects} sections is cut short`);
  for (let i = 0; i < nsects; i++) {
    const at = headerBytes + i * sectionBytes;
    into.sections.push({
      name: name(at),
      addr: word(at + 32),
      size: word(at + 32 + w),
      offset: u32(at + 32 + 2 * w),
    });
  }
}

function u64(bytes: Buffer, at: number, littleEndian: boolean): number {
  const value = littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new MalformedElfError(`Mach-O value 0x${value.toString(16)} is out of range`);
  return Number(value);
}
