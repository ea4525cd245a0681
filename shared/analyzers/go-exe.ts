/**
 * An executable as the Go analyser reads it, whichever its format: ELF (Linux, the BSDs), PE
 * (Windows) or Mach-O (macOS). It says where Go's build info and function table may be, maps addresses to the
 * file, and what platform the headers name.
 */

import {
  exactly,
  PF_W,
  PT_LOAD,
  readAddress as elfAddress,
  readElf,
  MalformedElfError,
  type ElfFile,
  type ReadRange,
} from './elf';
import { MACHO_CPUS, readMacho, type MachoFile } from './go-macho';
import { PE_MACHINES, peAddressToOffset, peDataSection, readPe, type PeFile } from './go-pe';

/** A byte range of the file. */
export interface FileRegion {
  readonly offset: number;
  readonly size: number;
}

export interface GoExecutable {
  readonly format: 'elf' | 'pe' | 'macho';
  readonly size: number;
  readonly read: ReadRange;
  readonly is64: boolean;
  readonly littleEndian: boolean;
  /** GOOS and GOARCH as the headers name them; `os` is missing when they do not say. */
  readonly header: { readonly os?: string; readonly arch?: string };
  /** Where Go's build info header is searched (its section, or the start of the data). */
  readonly buildInfoRegion?: FileRegion;
  /** The function table's own section, when the section table names one. */
  readonly pclntabSection?: FileRegion;
  /** Where to search the function table when no section names it, most likely first. */
  readonly pclntabRegions: readonly FileRegion[];
  /** Reads `length` bytes at virtual address `addr`. */
  readAddress(addr: number, length: number): Promise<Buffer>;
}

/** How far into the data Go's own `debug/buildinfo` searches when no section names it. */
const SEARCH_BYTES = 64 * 1024;
const ELF_PCLNTAB_SECTIONS = ['.gopclntab', '.data.rel.ro.gopclntab'];
const PF_X = 1;

/** ELF machine numbers (e_machine) and the GOARCH each is, 32- or 64-bit and byte order apart. */
const ELF_MACHINES: Readonly<Record<number, (is64: boolean, littleEndian: boolean) => string>> = {
  3: () => '386',
  62: () => 'amd64',
  40: () => 'arm',
  183: () => 'arm64',
  243: (is64) => (is64 ? 'riscv64' : 'riscv'),
  21: (_, le) => (le ? 'ppc64le' : 'ppc64'),
  22: () => 's390x',
  8: (is64, le) => `mips${is64 ? '64' : ''}${le ? 'le' : ''}`,
  258: () => 'loong64',
};

/** ELF OS/ABI bytes (EI_OSABI) that name an OS; Go writes 0 (System V) for Linux. */
const ELF_OSABI: Readonly<Record<number, string>> = { 3: 'linux', 9: 'freebsd', 12: 'openbsd' };

/**
 * The executable in `file`: undefined when it is neither ELF nor PE (a script, a text file),
 * the error (to report, not throw) when its headers do not hold together.
 */
export async function openGoExecutable(file: {
  read: ReadRange;
  size: number;
}): Promise<GoExecutable | undefined | MalformedElfError> {
  const read: ReadRange = (position, length) => file.read(position, length);
  const elf = await headers('ELF', () => readElf(read, file.size));
  if (elf instanceof MalformedElfError) return elf;
  if (elf !== undefined) {
    const ident = await headers('ELF', () => exactly(elf, 0, 20, 'ELF header'));
    return ident instanceof MalformedElfError ? ident : fromElf(elf, ident);
  }
  const pe = await headers('PE', () => readPe(read, file.size));
  if (pe !== undefined) return pe instanceof MalformedElfError ? pe : fromPe(pe, read, file.size);
  const macho = await headers('Mach-O', () => readMacho(read, file.size));
  return macho === undefined || macho instanceof MalformedElfError
    ? macho
    : fromMacho(macho, read, file.size);
}

/** What `read` gives, or the error that says which headers could not be read and why. */
async function headers<T>(format: string, read: () => Promise<T>): Promise<T | MalformedElfError> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof MalformedElfError)) throw error;
    return new MalformedElfError(`unreadable ${format} headers: ${error.message}`, {
      cause: error,
    });
  }
}

function fromElf(elf: ElfFile, ident: Buffer): GoExecutable {
  const machine = elf.littleEndian ? ident.readUInt16LE(18) : ident.readUInt16BE(18);
  const os = ELF_OSABI[ident[7]!];
  const arch = ELF_MACHINES[machine]?.(elf.is64, elf.littleEndian);
  const buildInfo = elf.sections.find((s) => s.name === '.go.buildinfo');
  const data = elf.segments.find((s) => s.type === PT_LOAD && (s.flags & PF_W) !== 0);
  const pclntab = elf.sections.find((s) => ELF_PCLNTAB_SECTIONS.includes(s.name));
  // Read-only data first, then writable (PIE keeps the table in RELRO data), then code.
  const loads = elf.segments.filter((s) => s.type === PT_LOAD);
  const rank = (flags: number) => ((flags & PF_X) !== 0 ? 2 : (flags & PF_W) !== 0 ? 1 : 0);
  const regions = [...loads]
    .sort((a, b) => rank(a.flags) - rank(b.flags))
    .map((s) => ({ offset: s.offset, size: s.filesz }));
  const start = buildInfo?.offset ?? data?.offset;
  return {
    format: 'elf',
    size: elf.size,
    read: elf.read,
    is64: elf.is64,
    littleEndian: elf.littleEndian,
    header: { ...(os !== undefined && { os }), ...(arch !== undefined && { arch }) },
    ...tableRegions(start, buildInfo, pclntab),
    pclntabRegions: regions,
    readAddress: (addr, length) => elfAddress(elf, addr, length),
  };
}

function fromPe(pe: PeFile, read: ReadRange, size: number): GoExecutable {
  const arch = PE_MACHINES[pe.machine];
  const data = peDataSection(pe);
  // Go writes the function table into .rdata; other read-only sections after it.
  const readOnly = pe.sections
    .filter((s) => s.rawSize > 0 && (s.characteristics & 0x20) === 0)
    .sort((a, b) => Number(b.name === '.rdata') - Number(a.name === '.rdata'));
  return {
    format: 'pe',
    size,
    read,
    is64: pe.is64,
    littleEndian: true,
    header: { os: 'windows', ...(arch !== undefined && { arch }) },
    ...(data !== undefined && {
      buildInfoRegion: { offset: data.offset, size: Math.min(data.rawSize, SEARCH_BYTES) },
    }),
    pclntabRegions: readOnly.map((s) => ({ offset: s.offset, size: s.rawSize })),
    readAddress: async (addr, length) => {
      const at = peAddressToOffset(pe, addr);
      if (at === undefined || at.available < length)
        throw new MalformedElfError(`address 0x${addr.toString(16)} is in no PE section`);
      return exactly({ read, size }, at.offset, length, 'data');
    },
  };
}

const VM_PROT_RW = 3;
const VM_PROT_EXECUTE = 4;

function fromMacho(macho: MachoFile, read: ReadRange, size: number): GoExecutable {
  const arch = MACHO_CPUS[macho.cputype];
  const section = (name: string) => macho.sections.find((s) => s.name === name);
  const buildInfo = section('__go_buildinfo');
  // As Go's debug/buildinfo: the section, else the first writable segment with data.
  const data = macho.segments.find(
    (s) =>
      s.vmaddr !== 0 && s.filesize !== 0 && s.initprot === VM_PROT_RW && s.maxprot === VM_PROT_RW,
  );
  const pclntab = section('__gopclntab');
  const regions = macho.segments
    .filter((s) => s.filesize > 0)
    .sort(
      (a, b) =>
        Number((a.initprot & VM_PROT_EXECUTE) !== 0) - Number((b.initprot & VM_PROT_EXECUTE) !== 0),
    )
    .map((s) => ({ offset: s.fileoff, size: s.filesize }));
  const start = buildInfo?.offset ?? data?.fileoff;
  return {
    format: 'macho',
    size,
    read,
    is64: macho.is64,
    littleEndian: macho.littleEndian,
    header: { os: 'darwin', ...(arch !== undefined && { arch }) },
    ...tableRegions(start, buildInfo, pclntab),
    pclntabRegions: regions,
    readAddress: async (addr, length) => {
      const segment = macho.segments.find(
        (s) => addr >= s.vmaddr && addr + length <= s.vmaddr + s.filesize,
      );
      if (segment === undefined)
        throw new MalformedElfError(`address 0x${addr.toString(16)} is in no Mach-O segment`);
      return exactly({ read, size }, segment.fileoff + (addr - segment.vmaddr), length, 'data');
    },
  };
}

/**
 * Where ELF and Mach-O hold the build info (its section, else the start of the data, searched
 * for at most {@link SEARCH_BYTES}) and the function table (its section, when named).
 */
function tableRegions(
  start: number | undefined,
  buildInfo: { readonly size: number } | undefined,
  pclntab: { readonly offset: number; readonly size: number } | undefined,
): Pick<GoExecutable, 'buildInfoRegion' | 'pclntabSection'> {
  return {
    ...(start !== undefined && {
      buildInfoRegion: {
        offset: start,
        size: Math.min(buildInfo?.size ?? SEARCH_BYTES, SEARCH_BYTES),
      },
    }),
    ...(pclntab !== undefined && {
      pclntabSection: { offset: pclntab.offset, size: pclntab.size },
    }),
  };
}
