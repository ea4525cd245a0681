/**
 * Just enough PE/COFF (https://learn.microsoft.com/windows/win32/debug/pe-format) to read what
 * the Go linker leaves in a Windows executable: the machine, the sections and the mapping of a
 * virtual address to the file. Reads the headers only.
 */

import { exactly, MalformedElfError, type ReadRange } from './elf';

export interface PeSection {
  readonly name: string;
  /** Relative virtual address; the image base is added by {@link peAddressToOffset}. */
  readonly virtualAddress: number;
  readonly virtualSize: number;
  readonly offset: number;
  readonly rawSize: number;
  readonly characteristics: number;
}

export interface PeFile {
  readonly machine: number;
  readonly is64: boolean;
  readonly imageBase: number;
  readonly sections: readonly PeSection[];
}

const DOS_MAGIC = 'MZ';
const PE_MAGIC = Buffer.from('PE\0\0', 'latin1');
const OPTIONAL_PE32 = 0x10b;
const OPTIONAL_PE32_PLUS = 0x20b;
const SECTION_HEADER_BYTES = 40;
/** COFF caps an image at 96 sections; a forged count past this is not read. */
const MAX_SECTIONS = 96;

/** PE machine numbers and the GOARCH each is. */
export const PE_MACHINES: Readonly<Record<number, string>> = {
  0x14c: '386',
  0x8664: 'amd64',
  0xaa64: 'arm64',
  0x1c0: 'arm',
  0x1c4: 'arm',
};

/** The file's PE headers, or undefined when it is not a PE image; malformed ones throw. */
export async function readPe(read: ReadRange, size: number): Promise<PeFile | undefined> {
  const dos = await read(0, 64);
  if (dos.length < 64 || dos.toString('latin1', 0, 2) !== DOS_MAGIC) return undefined;
  const file = { read, size };
  const peOffset = dos.readUInt32LE(0x3c);
  const coff = await exactly(file, peOffset, 24, 'PE header');
  if (!coff.subarray(0, 4).equals(PE_MAGIC)) return undefined;
  const machine = coff.readUInt16LE(4);
  const count = coff.readUInt16LE(6);
  const optionalSize = coff.readUInt16LE(20);
  if (count > MAX_SECTIONS) throw new MalformedElfError(`PE header: ${count} sections`);
  const optional = await exactly(file, peOffset + 24, optionalSize, 'PE optional header');
  const magic = optionalSize >= 2 ? optional.readUInt16LE(0) : 0;
  if (magic !== OPTIONAL_PE32 && magic !== OPTIONAL_PE32_PLUS)
    throw new MalformedElfError(`PE optional header magic 0x${magic.toString(16)}`);
  const is64 = magic === OPTIONAL_PE32_PLUS;
  if (optional.length < 32)
    throw new MalformedElfError(`PE optional header of ${optional.length} bytes`);
  const imageBase = is64 ? Number(optional.readBigUInt64LE(24)) : optional.readUInt32LE(28);
  const table = await exactly(
    file,
    peOffset + 24 + optionalSize,
    count * SECTION_HEADER_BYTES,
    'PE section table',
  );
  const sections = Array.from({ length: count }, (_, i) =>
    sectionOf(table.subarray(i * SECTION_HEADER_BYTES, (i + 1) * SECTION_HEADER_BYTES)),
  );
  return { machine, is64, imageBase, sections };
}

/**
 * The file offset of virtual address `addr` and how many bytes of the section's file data
 * follow it; undefined when no section maps it.
 */
export function peAddressToOffset(
  pe: PeFile,
  addr: number,
): { offset: number; available: number } | undefined {
  for (const s of pe.sections) {
    const start = pe.imageBase + s.virtualAddress;
    const inFile = Math.min(s.virtualSize || s.rawSize, s.rawSize);
    if (addr >= start && addr < start + inFile)
      return { offset: s.offset + (addr - start), available: inFile - (addr - start) };
  }
  return undefined;
}

const IMAGE_SCN_CNT_INITIALIZED_DATA = 0x40;
const IMAGE_SCN_MEM_READ = 0x40000000;
const IMAGE_SCN_MEM_WRITE = 0x80000000;
const IMAGE_SCN_ALIGN_32BYTES = 0x600000;
const DATA = (IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE) >>> 0;

/**
 * The first writable data section, where Go's `debug/buildinfo` looks for the build info of a
 * PE file (`peExe.DataStart`).
 */
export function peDataSection(pe: PeFile): PeSection | undefined {
  return pe.sections.find(
    (s) =>
      s.virtualAddress !== 0 &&
      s.virtualSize !== 0 &&
      (s.characteristics & ~IMAGE_SCN_ALIGN_32BYTES) >>> 0 === DATA,
  );
}

function sectionOf(bytes: Buffer): PeSection {
  const end = bytes.indexOf(0);
  return {
    name: bytes.toString('latin1', 0, end < 0 || end > 8 ? 8 : end),
    virtualSize: bytes.readUInt32LE(8),
    virtualAddress: bytes.readUInt32LE(12),
    rawSize: bytes.readUInt32LE(16),
    offset: bytes.readUInt32LE(20),
    characteristics: bytes.readUInt32LE(36),
  };
}
