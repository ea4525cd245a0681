import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import {
  fromRandomAccessReaderPromise,
  getFileNameLowLevel,
  RandomAccessReader,
  validateFileName,
  type Entry,
  type ZipFile,
} from 'yauzl';

/** Records sit one after another in an export: read them a window at a time. */
const WINDOW_BYTES = 4 * 1024 * 1024;

interface Window {
  start: number;
  bytes: Buffer;
}

/**
 * A zip file read through two windows of a few MiB that slide forward as entries are read in
 * order: one over the central directory, one over the entries' data, which yauzl reads in
 * alternation. An export of 300,000 small records then costs a few hundred reads instead of
 * three per record, and memory stays at two windows.
 */
class WindowedFileReader extends RandomAccessReader {
  /** Most recently used first. */
  private windows: Window[] = [];

  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from([this.bytes(start, end)]);
  }

  override close(callback: (err: Error | null) => void): void {
    try {
      closeSync(this.fd);
      callback(null);
    } catch (error) {
      callback(error as Error);
    }
  }

  private bytes(start: number, end: number): Buffer {
    let window = this.windows.find((w) => start >= w.start && end <= w.start + w.bytes.length);
    if (window === undefined) window = { start, bytes: this.readAt(start, end) };
    this.windows = [window, ...this.windows.filter((w) => w !== window)].slice(0, 2);
    return Buffer.from(window.bytes.subarray(start - window.start, end - window.start));
  }

  private readAt(start: number, end: number): Buffer {
    const length = Math.min(Math.max(WINDOW_BYTES, end - start), this.size - start);
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const read = readSync(this.fd, buffer, filled, length - filled, start + filled);
      if (read === 0) break;
      filled += read;
    }
    return buffer.subarray(0, filled);
  }
}

/**
 * Opens a zip for reading its entries in order (lazily, one at a time). Names are left
 * undecoded: yauzl would fail the whole archive on one entry named `../x` or `/x`, where an
 * import skips that entry ({@link entryName}).
 */
export async function openZip(path: string): Promise<ZipFile> {
  const fd = openSync(path, 'r');
  try {
    const reader = new WindowedFileReader(fd, fstatSync(fd).size);
    return await fromRandomAccessReaderPromise(reader, fstatSync(fd).size, {
      lazyEntries: true,
      decodeStrings: false,
    });
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** An entry's name, decoded and printable; with a reason when it is not a safe relative path. */
export type EntryName = { readonly name: string; readonly unsafe?: string };

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/**
 * The name of an entry of a zip opened by {@link openZip} (UTF-8 or CP437, or the Info-ZIP
 * Unicode path), checked as yauzl would: no `..` segment, no absolute path, no backslash; and
 * no NUL, which yauzl lets through. Control characters are escaped, for messages.
 */
export function entryName(entry: Entry): EntryName {
  const name = getFileNameLowLevel(
    entry.generalPurposeBitFlag,
    entry.fileNameRaw,
    entry.extraFields,
    false,
  );
  const printable = name.replace(
    CONTROL_CHARACTERS,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  // yauzl's message is "<what is wrong>: <the name>"; the name is printed apart, escaped.
  const unsafe = name.includes('\0') ? 'a NUL byte' : validateFileName(name)?.split(':')[0];
  return unsafe === undefined || unsafe === null
    ? { name: printable }
    : { name: printable, unsafe: `unsafe entry name: ${unsafe}` };
}
