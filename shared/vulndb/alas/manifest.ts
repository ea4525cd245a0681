import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { z } from 'zod';
import { messageOf } from '../../core';
import { VulnDbError } from '../errors';
import type { AlasContext, AlasRelease } from './context';

/** An updateinfo file kept on disk, and the repository it came from. */
export interface AlasSource {
  readonly path: string;
  readonly alas: AlasContext;
}

/** The files of the last `downloadAlas` of `release` (its manifest); none when it never ran. */
export async function alasSources(
  downloadDir: string,
  release: AlasRelease,
): Promise<AlasSource[]> {
  const text = await readFile(manifestFile(downloadDir, release), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const listed = z
    .array(
      z.object({ path: z.string(), release: z.enum(['2', '2023']), topic: z.string().optional() }),
    )
    .safeParse(jsonOrUndefined(text));
  if (!listed.success)
    throw new VulnDbError(
      'VULNDB_LOCATION_INVALID',
      `${manifestFile(downloadDir, release)} is damaged`,
    );
  return listed.data.map(({ path, release: r, topic }) => ({
    path: join(downloadDir, path),
    alas: { release: r, ...(topic !== undefined && { topic }) },
  }));
}

function manifestFile(dir: string, release: AlasRelease): string {
  return join(dir, 'alas', release, 'sources.json');
}

/** Writes the list of files; true when it differs from the last one. */
export async function writeManifest(
  dir: string,
  release: AlasRelease,
  sources: readonly AlasSource[],
): Promise<boolean> {
  const file = manifestFile(dir, release);
  const text = `${JSON.stringify(
    sources.map((s) => ({ path: relative(dir, s.path), ...s.alas })),
    null,
    2,
  )}\n`;
  const before = await readFile(file, 'utf8').catch(() => undefined);
  if (before === text) return false;
  await makeDirectory(dirname(file));
  await writeFile(file, text).catch((error: unknown) => {
    throw new VulnDbError('VULNDB_LOCATION_INVALID', `cannot write ${file}: ${messageOf(error)}`, {
      cause: error,
    });
  });
  return true;
}

export async function makeDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw new VulnDbError('VULNDB_LOCATION_INVALID', `cannot make ${dir}: ${messageOf(error)}`, {
      cause: error,
    });
  });
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
