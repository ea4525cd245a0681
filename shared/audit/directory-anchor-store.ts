import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../core';
import {
  anchorFileName,
  anchorJson,
  parseAnchor,
  type Anchor,
  type AnchorStore,
  type StoredAnchor,
} from './anchor';
import { isDay } from './chain';
import { AuditError } from './errors';

/**
 * Anchors in a directory, `<dir>/<chain>/<time>.json` (the S3 key without its
 * `audit-anchors/` prefix): the local runner's and the tests' stand-in for the Object Lock
 * bucket. A file is never overwritten (writing the same anchor again is a no-op).
 */
export class DirectoryAnchorStore implements AnchorStore {
  constructor(readonly dir: string) {}

  async put(anchor: Anchor): Promise<string> {
    const folder = join(this.dir, anchor.chain);
    const file = join(folder, anchorFileName(anchor.time));
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(file, anchorJson(anchor), { flag: 'wx' });
    } catch (error) {
      if (await holds(file, anchorJson(anchor))) return file;
      throw new AuditError(
        'ANCHOR_STORE_FAILED',
        `writing anchor ${file} failed: ${messageOf(error)}`,
        'input',
        {
          cause: error,
        },
      );
    }
    return file;
  }

  async list(since?: string): Promise<StoredAnchor[]> {
    const days = (await this.entries(this.dir)).filter(
      (day) => isDay(day) && (since === undefined || day >= since),
    );
    const anchors: StoredAnchor[] = [];
    for (const day of days.sort())
      for (const name of (await this.entries(join(this.dir, day))).sort()) {
        if (!name.endsWith('.json')) continue;
        const file = join(this.dir, day, name);
        anchors.push(parseAnchor(file, day, await readFile(file, 'utf8')));
      }
    return anchors;
  }

  private async entries(dir: string): Promise<string[]> {
    try {
      return await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new AuditError(
        'ANCHOR_STORE_FAILED',
        `listing anchors in ${dir} failed: ${messageOf(error)}`,
        'input',
        {
          cause: error,
        },
      );
    }
  }
}

/** Whether `file` holds `text` already (the same anchor written twice). */
async function holds(file: string, text: string): Promise<boolean> {
  try {
    return (await readFile(file, 'utf8')) === text;
  } catch {
    return false;
  }
}
