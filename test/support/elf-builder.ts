/**
 * Writes small ELF files for the cases real toolchains here cannot produce (Go before 1.18,
 * 32-bit big-endian machines) and for forged headers. Real executables, built by
 * scripts/make-binary-fixtures.sh, cover the common cases.
 */

export interface SectionSpec {
  readonly name: string;
  readonly data: Buffer;
  /** Loaded at this address in its own PT_LOAD segment; not loaded when absent. */
  readonly addr?: number;
  readonly writable?: boolean;
}

export interface ElfSpec {
  readonly is64?: boolean;
  readonly littleEndian?: boolean;
  readonly sections: readonly SectionSpec[];
  /** Leave the section table out of the header, as `sstrip` does. */
  readonly withoutSectionTable?: boolean;
}

const PT_LOAD = 1;
const PF_R = 4;
const PF_W = 2;
const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;

export function buildElf(spec: ElfSpec): Buffer {
  const is64 = spec.is64 ?? true;
  const le = spec.littleEndian ?? true;
  const sizes = is64 ? { ehdr: 64, phdr: 56, shdr: 64 } : { ehdr: 52, phdr: 32, shdr: 40 };
  const loaded = spec.sections.filter((s) => s.addr !== undefined);
  const names = Buffer.concat([
    Buffer.from([0]),
    ...[...spec.sections.map((s) => s.name), '.shstrtab'].map((n) => Buffer.from(`${n}\0`)),
  ]);
  const all = [...spec.sections, { name: '.shstrtab', data: names }];
  let offset = align(sizes.ehdr + loaded.length * sizes.phdr);
  const placed = all.map((s) => {
    const at = offset;
    offset = align(offset + s.data.length);
    return { ...s, offset: at };
  });
  const shoff = offset;
  const out = Buffer.alloc(shoff + (all.length + 1) * sizes.shdr);
  const w = writer(out, le, is64);
  out.write('\x7fELF', 0, 'latin1');
  out[4] = is64 ? 2 : 1;
  out[5] = le ? 1 : 2;
  out[6] = 1;
  w.u16(16, 2); // ET_EXEC
  w.u16(18, is64 ? 62 : 8); // x86-64 or MIPS
  w.u32(20, 1);
  const at = is64
    ? { phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62 }
    : { phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48, shstrndx: 50 };
  w.addr(at.phoff, loaded.length > 0 ? sizes.ehdr : 0);
  w.u16(at.phentsize, sizes.phdr);
  w.u16(at.phnum, loaded.length);
  if (!spec.withoutSectionTable) {
    w.addr(at.shoff, shoff);
    w.u16(at.shentsize, sizes.shdr);
    w.u16(at.shnum, all.length + 1);
    w.u16(at.shstrndx, all.length);
  }
  placed.forEach((s) => s.data.copy(out, s.offset));
  placed
    .filter((s) => 'addr' in s && s.addr !== undefined)
    .forEach((s, i) => writeSegment(w, sizes.ehdr + i * sizes.phdr, s));
  let nameOffset = 1;
  placed.forEach((s, i) => {
    writeSection(w, shoff + (i + 1) * sizes.shdr, s, nameOffset, i === all.length - 1);
    nameOffset += Buffer.byteLength(s.name) + 1;
  });
  return out;
}

type Placed = SectionSpec & { offset: number };

function writeSegment(w: Writer, at: number, s: Placed): void {
  const flags = PF_R | (s.writable ? PF_W : 0);
  if (w.is64) {
    w.u32(at, PT_LOAD);
    w.u32(at + 4, flags);
    w.addr(at + 8, s.offset);
    w.addr(at + 16, s.addr!);
    w.addr(at + 24, s.addr!);
    w.addr(at + 32, s.data.length);
    w.addr(at + 40, s.data.length);
  } else {
    w.u32(at, PT_LOAD);
    w.u32(at + 4, s.offset);
    w.u32(at + 8, s.addr!);
    w.u32(at + 12, s.addr!);
    w.u32(at + 16, s.data.length);
    w.u32(at + 20, s.data.length);
    w.u32(at + 24, flags);
  }
}

function writeSection(w: Writer, at: number, s: Placed, name: number, strtab: boolean): void {
  const step = w.is64 ? 8 : 4;
  w.u32(at, name);
  w.u32(at + 4, strtab ? SHT_STRTAB : SHT_PROGBITS);
  w.addr(at + 8, s.addr !== undefined ? 2 : 0); // SHF_ALLOC
  w.addr(at + 8 + step, s.addr ?? 0);
  w.addr(at + 8 + 2 * step, s.offset);
  w.addr(at + 8 + 3 * step, s.data.length);
}

interface Writer {
  readonly is64: boolean;
  u16(at: number, value: number): void;
  u32(at: number, value: number): void;
  /** An address or offset: 8 bytes in a 64-bit file, 4 in a 32-bit one. */
  addr(at: number, value: number): void;
}

function writer(out: Buffer, le: boolean, is64: boolean): Writer {
  const u32 = (at: number, v: number) => (le ? out.writeUInt32LE(v, at) : out.writeUInt32BE(v, at));
  return {
    is64,
    u16: (at, v) => (le ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at)),
    u32,
    addr: (at, v) => {
      if (!is64) return void u32(at, v);
      if (le) out.writeBigUInt64LE(BigInt(v), at);
      else out.writeBigUInt64BE(BigInt(v), at);
    },
  };
}

function align(n: number): number {
  return Math.ceil(n / 16) * 16;
}
