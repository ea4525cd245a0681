/**
 * Hand-made tar headers, for the formats a tar library writes only on request (GNU long names,
 * base-256 sizes) and for malformed archives. https://www.gnu.org/software/tar/manual/html_node/Standard.html
 */
const BLOCK = 512;

export interface RawEntry {
  readonly name: string;
  readonly body?: Buffer | string;
  /** Typeflag character: '0' file, '5' dir, '2' symlink, '1' hard link, 'L' GNU long name, 'x' PAX. */
  readonly type?: string;
  readonly linkname?: string;
  /** 'gnu' writes the `ustar  \0` magic; default is POSIX `ustar\0` + `00`. */
  readonly format?: 'gnu' | 'ustar';
  /** Write the size field in base-256 (GNU's encoding for sizes ≥ 8 GiB). */
  readonly base256Size?: boolean;
  /** Corrupt the header checksum. */
  readonly badChecksum?: boolean;
}

export function rawTar(entries: readonly RawEntry[], options: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    parts.push(header(entry, body.length), body, Buffer.alloc(padding(body.length)));
  }
  if (options.end !== false) parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

/** A GNU long-name entry pair: an `L` header carrying the name, then the entry itself. */
export function gnuLongName(name: string, body: string): RawEntry[] {
  return [
    { name: '././@LongLink', type: 'L', body: `${name}\0`, format: 'gnu' },
    { name: name.slice(0, 99), body, format: 'gnu' },
  ];
}

/** A PAX extended header (`x`) that sets `path` (and optionally `size`) of the next entry. */
export function paxEntry(records: Record<string, string>, entry: RawEntry): RawEntry[] {
  const body = Object.entries(records)
    .map(([k, v]) => paxRecord(k, v))
    .join('');
  return [{ name: 'PaxHeaders/x', type: 'x', body }, entry];
}

function paxRecord(key: string, value: string): string {
  const text = ` ${key}=${value}\n`;
  let length = text.length + 1;
  while (String(length).length + text.length !== length)
    length = String(length).length + text.length;
  return `${length}${text}`;
}

function header(entry: RawEntry, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(entry.name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  if (entry.base256Size) {
    h[124] = 0x80;
    h.writeBigUInt64BE(BigInt(size), 128);
  } else {
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  }
  h.write('00000000000\0', 136);
  h.write(entry.type ?? '0', 156);
  if (entry.linkname) h.write(entry.linkname, 157, 100);
  if (entry.format === 'gnu') h.write('ustar  \0', 257);
  else h.write('ustar\x0000', 257);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  if (entry.badChecksum) sum += 1;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
