import { open } from 'node:fs/promises';
import { gunzipSync, constants } from 'node:zlib';

/** What a priority data file is, told by content: `kev`, `epss`, or neither (undefined). */
export type PriorityFileKind = 'kev' | 'epss';

/** Bytes read to tell: a KEV catalog names `catalogVersion` in its first few hundred. */
const HEAD_BYTES = 4096;

/**
 * Tells a KEV catalog (a JSON object naming `catalogVersion` and `vulnerabilities` near its
 * start) or an EPSS CSV (its `#model_version:` comment or `cve,epss,percentile` header, gzipped
 * or not) from anything else, by the first bytes of `file`. A file that cannot be opened, or a
 * directory, is neither: the OSV import then says why it cannot read it.
 */
export async function sniffPriorityFile(file: string): Promise<PriorityFileKind | undefined> {
  let head: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  return kindOf(textOf(head));
}

function textOf(head: Buffer): string {
  if (head[0] !== 0x1f || head[1] !== 0x8b) return head.toString('utf8');
  try {
    // A prefix of a gzip stream: flushing with SYNC_FLUSH gives what it holds, without the end.
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  } catch {
    return '';
  }
}

function kindOf(text: string): PriorityFileKind | undefined {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('#model_version:') || start.startsWith('cve,epss,percentile')) return 'epss';
  if (
    start.startsWith('{') &&
    start.includes('"catalogVersion"') &&
    start.includes('"vulnerabilities"')
  )
    return 'kev';
  return undefined;
}
