import { RpmError } from './errors';

/**
 * Tag numbers of the rpm header entries we read (rpm's `rpmtag.h`,
 * https://github.com/rpm-software-management/rpm/blob/master/include/rpm/rpmtag.h).
 */
export const RpmTag = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  vendor: 1011,
  license: 1014,
  arch: 1022,
  fileNames: 1027,
  sourceRpm: 1044,
  requireName: 1049,
  dirIndexes: 1116,
  baseNames: 1117,
  dirNames: 1118,
} as const;

/** Entry data types (rpm's `rpmTagType`). */
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18N_STRING = 9;

/** Index-entry count and data length, both big-endian u32, precede the entries. */
const INTRO_BYTES = 8;
/** tag, type, offset, count: four big-endian u32. */
const ENTRY_BYTES = 16;
/** rpm refuses headers past these (`hdrblobVerifyInfo`: HEADER_TAGS_MAX, HEADER_DATA_MAX). */
const MAX_ENTRIES = 0xffff;
const MAX_DATA_BYTES = 0x0fffffff;

/** Typed access to one decoded rpm header. Accessors throw `RpmError` on out-of-bounds data. */
export interface RpmHeader {
  /** A STRING or I18N_STRING entry (first translation), or undefined when absent. */
  string(tag: number): string | undefined;
  /** A STRING_ARRAY entry, or [] when absent. */
  strings(tag: number): string[];
  /** An INT32 entry, or [] when absent. */
  int32s(tag: number): number[];
}

interface Entry {
  readonly type: number;
  readonly offset: number;
  readonly count: number;
}

/**
 * Decodes an rpm header blob as stored in the package databases: the header without its 8-byte
 * magic (https://rpm-software-management.github.io/rpm/manual/format_header.html).
 */
export function parseHeader(blob: Buffer): RpmHeader {
  if (blob.length < INTRO_BYTES)
    throw new RpmError('RPM_BAD_HEADER', `header: expected at least 8 bytes, got ${blob.length}`);
  const entryCount = blob.readUInt32BE(0);
  const dataLength = blob.readUInt32BE(4);
  const dataStart = INTRO_BYTES + entryCount * ENTRY_BYTES;
  if (
    entryCount > MAX_ENTRIES ||
    dataLength > MAX_DATA_BYTES ||
    dataStart + dataLength > blob.length
  )
    throw new RpmError(
      'RPM_BAD_HEADER',
      `header: ${entryCount} entries and ${dataLength} data bytes do not fit in ${blob.length} bytes`,
    );
  const data = blob.subarray(dataStart, dataStart + dataLength);
  return headerOver(entriesOf(blob, entryCount), data);
}

function entriesOf(blob: Buffer, count: number): Map<number, Entry> {
  const entries = new Map<number, Entry>();
  for (let i = 0; i < count; i++) {
    const at = INTRO_BYTES + i * ENTRY_BYTES;
    const tag = blob.readUInt32BE(at);
    if (!entries.has(tag))
      entries.set(tag, {
        type: blob.readUInt32BE(at + 4),
        offset: blob.readUInt32BE(at + 8),
        count: blob.readUInt32BE(at + 12),
      });
  }
  return entries;
}

function headerOver(entries: Map<number, Entry>, data: Buffer): RpmHeader {
  const entry = (tag: number, types: readonly number[]): Entry | undefined => {
    const found = entries.get(tag);
    if (found === undefined) return undefined;
    if (!types.includes(found.type))
      throw new RpmError('RPM_BAD_HEADER', `header tag ${tag}: unexpected type ${found.type}`);
    return found;
  };
  return {
    string(tag) {
      const found = entry(tag, [TYPE_STRING, TYPE_I18N_STRING]);
      return found && stringsAt(data, found.offset, 1, tag)[0];
    },
    strings(tag) {
      const found = entry(tag, [TYPE_STRING_ARRAY]);
      return found ? stringsAt(data, found.offset, found.count, tag) : [];
    },
    int32s(tag) {
      const found = entry(tag, [TYPE_INT32]);
      if (found === undefined) return [];
      if (found.offset + found.count * 4 > data.length)
        throw new RpmError('RPM_BAD_HEADER', `header tag ${tag}: int32 data runs past the header`);
      return Array.from({ length: found.count }, (_, i) => data.readInt32BE(found.offset + i * 4));
    },
  };
}

/** `count` NUL-terminated strings starting at `offset`, each required to end inside `data`. */
function stringsAt(data: Buffer, offset: number, count: number, tag: number): string[] {
  const strings: string[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const end = at < data.length ? data.indexOf(0, at) : -1;
    if (end < 0)
      throw new RpmError('RPM_BAD_HEADER', `header tag ${tag}: string ${i} runs past the header`);
    strings.push(data.toString('utf8', at, end));
    at = end + 1;
  }
  return strings;
}
