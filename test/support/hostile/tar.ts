/**
 * Tar headers with every field in the corpus's hands: a size that is not the body's, a PAX
 * record of 100 MB, a GNU long name with nothing after it. (../raw-tar.ts writes well-formed
 * entries whose size is their body's.) https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html
 */
import { tarPadding } from './bytes';

const BLOCK = 512;
const MTIME = Date.UTC(2026, 0, 1) / 1000;

export interface TarHeader {
  readonly name: string;
  /** The size field; defaults to 0. */
  readonly size?: number;
  /** Typeflag: '0' file, '1' hard link, '2' symlink, '5' dir, 'x' PAX, 'L' GNU long name. */
  readonly type?: string;
  readonly linkname?: string;
  readonly mode?: number;
  /** 'gnu' writes the `ustar  \0` magic that GNU long names go with. */
  readonly format?: 'gnu' | 'ustar';
  /** The size field in GNU's base-256 form (a high bit, then a big-endian number). */
  readonly base256Size?: bigint;
  /** Added to the checksum after computing it (a corrupt header). */
  readonly checksumDelta?: number;
}

/** One 512-byte header block. */
export function tarHeader(header: TarHeader): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(header.name, 0, 100, 'utf8');
  h.write(`${(header.mode ?? 0o644).toString(8).padStart(7, '0')}\0`, 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  if (header.base256Size !== undefined) {
    h[124] = 0x80;
    h.writeBigUInt64BE(header.base256Size, 128);
  } else h.write(`${(header.size ?? 0).toString(8).padStart(11, '0')}\0`, 124);
  h.write(`${MTIME.toString(8).padStart(11, '0')}\0`, 136);
  h.write(header.type ?? '0', 156);
  if (header.linkname !== undefined) h.write(header.linkname, 157, 100, 'utf8');
  h.write(header.format === 'gnu' ? 'ustar  \0' : 'ustar\x0000', 257);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  sum += header.checksumDelta ?? 0;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** A regular file (or other entry) with its body and padding. */
export function tarEntry(
  name: string,
  body: Buffer | string = '',
  header: Partial<TarHeader> = {},
): Buffer {
  const bytes = Buffer.from(body);
  return Buffer.concat([
    tarHeader({ name, size: bytes.length, ...header }),
    bytes,
    tarPadding(bytes.length),
  ]);
}

/** A PAX extended header entry (`x`) carrying `records` for the entry after it. */
export function paxEntry(records: Readonly<Record<string, string>>): Buffer {
  const body = Object.entries(records)
    .map(([key, value]) => paxRecord(key, value))
    .join('');
  return tarEntry('PaxHeaders/entry', body, { type: 'x' });
}

/** `LEN key=value\n`, where LEN counts itself. */
export function paxRecord(key: string, value: string): string {
  const text = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(text) + 1;
  while (String(length).length + Buffer.byteLength(text) !== length)
    length = String(length).length + Buffer.byteLength(text);
  return `${length}${text}`;
}

/** A GNU long-name entry (`L`) naming the entry after it. */
export function gnuLongName(name: string): Buffer {
  return tarEntry('././@LongLink', `${name}\0`, { type: 'L', format: 'gnu' });
}
