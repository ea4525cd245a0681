/** What a database reader got out of one file: header blobs, and what it had to skip. */
export interface BlobsRead {
  readonly blobs: readonly Buffer[];
  readonly problems: readonly string[];
}

/** A bounds-checked view of a database file in one byte order. */
export interface ByteReader {
  readonly length: number;
  u8(at: number): number;
  u16(at: number): number;
  u32(at: number): number;
  slice(from: number, to: number): Buffer;
}

/** Reads `bytes` in the given byte order; every read past the end throws `RangeError`. */
export function byteReader(bytes: Buffer, littleEndian: boolean): ByteReader {
  const check = (at: number, size: number) => {
    if (at < 0 || at + size > bytes.length)
      throw new RangeError(`read of ${size} bytes at ${at} is past the end (${bytes.length})`);
  };
  return {
    length: bytes.length,
    u8: (at) => (check(at, 1), bytes.readUInt8(at)),
    u16: (at) => (check(at, 2), littleEndian ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at)),
    u32: (at) => (check(at, 4), littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at)),
    slice: (from, to) => (check(from, to - from), bytes.subarray(from, to)),
  };
}
