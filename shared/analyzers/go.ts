import type { Analyzer, AnalyzerResult, FoundPackage } from './analyzer';
import {
  exactly,
  isExecutable,
  MalformedElfError,
  PF_W,
  PT_LOAD,
  readAddress,
  readExecutable,
  type ElfFile,
} from './elf';
import { parseGoModInfo, type GoModule } from './go-modinfo';

/** Where the Go linker writes `runtime/debug.BuildInfo` (Go 1.13+). */
const SECTION = '.go.buildinfo';
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_BYTES = 32;
const ALIGN = 16;
/** How far into the data segment Go's own `debug/buildinfo` looks when the section is gone. */
const SEARCH_BYTES = 64 * 1024;
/** Version and module strings: a large application lists a few thousand modules. */
const MAX_STRING_BYTES = 4 * 1024 * 1024;
const FLAG_BIG_ENDIAN = 1;
const FLAG_INLINE_STRINGS = 2;

/**
 * Go modules compiled into an executable, from the build info the Go linker embeds: the
 * toolchain (as the `stdlib` module), the main module and every dependency, with replacements
 * applied. Reads the ELF headers and the build info only, the way `go version -m` does,
 * whatever the binary's size; stripped binaries (no section table) are searched like Go does.
 */
export const goAnalyzer: Analyzer = {
  name: 'go',
  version: 1,
  readsRanges: true,
  wants: (_path, info) => isExecutable(info),
  async analyze(file) {
    const elf = await readExecutable(file);
    if (elf instanceof MalformedElfError)
      return { problems: [{ reason: `unreadable ELF headers: ${elf.message}` }] };
    return elf === undefined ? {} : analyzeElf(elf);
  },
};

async function analyzeElf(elf: ElfFile): Promise<AnalyzerResult> {
  try {
    const info = await readBuildInfo(elf);
    if (info === undefined) return {};
    const { modules, problems } = parseGoModInfo(info.modinfo);
    const stdlib = stdlibOf(info.goVersion);
    if (stdlib === undefined)
      problems.push(
        `Go build info names the toolchain ${JSON.stringify(info.goVersion.slice(0, 40))}, not a Go release: the standard library is not listed`,
      );
    return {
      packages: [...(stdlib ? [stdlib] : []), ...modules.map(packageOf)],
      problems: problems.map((reason) => ({ reason })),
    };
  } catch (error) {
    if (!(error instanceof MalformedElfError)) throw error;
    return { problems: [{ reason: `Go build info: ${error.message}` }] };
  }
}

/** The build info's Go version and module text; undefined for a binary Go did not link. */
async function readBuildInfo(
  elf: ElfFile,
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
async function findHeader(elf: ElfFile): Promise<number | undefined> {
  const section = elf.sections.find((s) => s.name === SECTION);
  const segment = elf.segments.find((s) => s.type === PT_LOAD && (s.flags & PF_W) !== 0);
  const start = section?.offset ?? segment?.offset;
  if (start === undefined) return undefined;
  const length = Math.min(section?.size ?? SEARCH_BYTES, SEARCH_BYTES, elf.size - start);
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
async function goString(elf: ElfFile, pointer: PointerReader, addr: number): Promise<Buffer> {
  const size = elf.is64 ? 8 : 4;
  const header = await readAddress(elf, addr, 2 * size);
  const length = pointer(header, size);
  if (length > MAX_STRING_BYTES) throw new MalformedElfError(`string of ${length} bytes`);
  return readAddress(elf, pointer(header, 0), length);
}

/** A string written as its uvarint length and its bytes, at file offset `at`. */
async function varintString(elf: ElfFile, at: number): Promise<{ bytes: Buffer; end: number }> {
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

/** The toolchain as the `stdlib` module, the name vulnerability databases give it. */
function stdlibOf(goVersion: string): FoundPackage | undefined {
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?(?:\s|$)/.exec(goVersion);
  if (match === null) return undefined;
  const [, major, minor, patch, pre, preNumber] = match;
  const prerelease = pre === undefined ? '' : `-${pre}.${preNumber}`;
  return {
    type: 'golang',
    name: 'stdlib',
    version: `v${major}.${minor}.${patch ?? 0}${prerelease}`,
  };
}

function packageOf(module: GoModule): FoundPackage {
  const slash = module.path.lastIndexOf('/');
  return {
    type: 'golang',
    name: slash < 0 ? module.path : module.path.slice(slash + 1),
    ...(slash > 0 && { namespace: module.path.slice(0, slash) }),
    version: module.version,
  };
}
