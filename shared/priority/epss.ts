import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { issueMessage } from '../core';
import { PriorityError } from './errors';
import type { EpssScore, EpssVersion } from './types';

/** FIRST's daily scores, all CVEs (https://www.first.org/epss/data_stats). */
export const DEFAULT_EPSS_URL = 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz';

const HEADER = 'cve,epss,percentile';
const GZIP_MAGIC = [0x1f, 0x8b];

const probability = z.number().min(0).max(1);
const rowSchema = z.object({
  cve: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id (CVE-YYYY-NNNN)'),
  epss: probability,
  percentile: probability,
});
/** `#model_version:v2023.03.01,score_date:2024-12-06T00:00:00+0000` */
const COMMENT = /^#model_version:([^,]*),score_date:(\d{4}-\d{2}-\d{2})/;

/**
 * Reads FIRST's `epss_scores-YYYY-MM-DD.csv` (or `.csv.gz`, told by its first bytes) line by
 * line, handing each row to `take`: the file holds a few hundred thousand rows and is never
 * held whole. Its first line is the `#model_version:…,score_date:…` comment, then the header
 * `cve,epss,percentile`. Anything else fails with `EPSS_MALFORMED` naming the line
 * (`line 7: epss Number must be less than or equal to 1`); rows handed on before it stay
 * handed on, so the caller writes them in a transaction it can roll back.
 */
export async function readEpssFile(
  file: string,
  take: (cve: string, score: EpssScore) => void,
): Promise<EpssVersion> {
  const head = await firstBytes(file);
  const gzipped = GZIP_MAGIC.every((byte, i) => head[i] === byte);
  const raw = createReadStream(file);
  try {
    return await readEpss(gzipped ? raw.pipe(createGunzip()) : raw, file, take);
  } finally {
    // The gunzip stream, destroyed by readEpss, does not close the file under it.
    raw.destroy();
  }
}

/** {@link readEpssFile} over a stream of the CSV's (decompressed) bytes or text. */
export async function readEpss(
  input: Readable | AsyncIterable<string | Buffer>,
  source: string,
  take: (cve: string, score: EpssScore) => void,
): Promise<EpssVersion> {
  const stream = input instanceof Readable ? input : Readable.from(input);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  let version: Omit<EpssVersion, 'count'> | undefined;
  let count = 0;
  try {
    for await (const line of lines) {
      number++;
      if (number === 1) version = comment(line, source);
      else if (number === 2) header(line, source);
      else if (line !== '') {
        const [cve, score] = row(line, number, source);
        take(cve, { score: score.epss, percentile: score.percentile, date: version!.scoreDate });
        count++;
      }
    }
  } catch (error) {
    if (error instanceof PriorityError) throw error;
    throw malformed(source, `cannot be read: ${(error as Error).message}`, { cause: error });
  } finally {
    stream.destroy();
  }
  if (version === undefined) throw malformed(source, 'is empty');
  if (number < 2) throw malformed(source, `has no header line "${HEADER}"`);
  return { ...version, count };
}

function comment(line: string, source: string): Omit<EpssVersion, 'count'> {
  const match = COMMENT.exec(line.replace(/^\uFEFF/, ''));
  if (match === null)
    throw malformed(
      source,
      `line 1: expected "#model_version:…,score_date:YYYY-MM-DD…", got "${line.slice(0, 80)}"`,
    );
  return { modelVersion: match[1]!, scoreDate: match[2]! };
}

function header(line: string, source: string): void {
  if (line.trim() !== HEADER)
    throw malformed(source, `line 2: expected the header "${HEADER}", got "${line.slice(0, 80)}"`);
}

function row(line: string, number: number, source: string): [string, z.infer<typeof rowSchema>] {
  const cells = line.split(',');
  if (cells.length !== 3)
    throw malformed(source, `line ${number}: expected 3 columns, got ${cells.length}`);
  const [cve, epss, percentile] = cells;
  const parsed = rowSchema.safeParse({ cve, epss: numeric(epss), percentile: numeric(percentile) });
  if (!parsed.success) throw malformed(source, `line ${number}: ${issueMessage(parsed.error)}`);
  return [parsed.data.cve, parsed.data];
}

/** An empty or non-numeric cell stays a string, so that zod names it rather than reading 0. */
function numeric(cell: string | undefined): unknown {
  const value = Number(cell);
  return cell !== undefined && cell.trim() !== '' && Number.isFinite(value) ? value : cell;
}

async function firstBytes(file: string): Promise<Buffer> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(file, { start: 0, end: 1 }))
      chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch (error) {
    throw new PriorityError(
      'PRIORITY_UNREADABLE',
      `cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function malformed(source: string, reason: string, options?: ErrorOptions): PriorityError {
  return new PriorityError(
    'EPSS_MALFORMED',
    `${source}: not an EPSS score file: ${reason}`,
    options,
  );
}
