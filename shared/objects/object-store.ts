import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ObjectStoreError } from './errors';

/**
 * Where the pipeline keeps objects (layer reports, SBOMs, reports): S3 in the cloud, a
 * directory locally (STYLE.md §6). Keys are `/`-separated relative paths.
 */
export interface ObjectStore {
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, body: Buffer): Promise<void>;
  /**
   * Every key that starts with `prefix` (a string prefix, as S3 reads it: `fleet/` lists the
   * runs' objects, `fleet/2026-` those of runs named so), sorted.
   */
  list(prefix: string): Promise<string[]>;
}

/** Segments of a key: no empty, `.` or `..` segment, so a key cannot leave the store. */
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._=+@-]+$/;
/** What may follow the last `/` of a list prefix: the start of a segment, or nothing. */
const PARTIAL_SEGMENT = /^[A-Za-z0-9._=+@-]*$/;
/** The temporary file of a write in progress: `<key>.<12 hex>.tmp`. */
const TEMPORARY = /\.[0-9a-f]{12}\.tmp$/;

/**
 * Throws `INVALID_OBJECT_KEY` unless `key` is `/`-separated segments of `[A-Za-z0-9._=+@-]`
 * with no empty, `.` or `..` segment: the keys every ObjectStore accepts, so that a key valid
 * in S3 is valid locally and cannot leave the store's directory.
 */
export function assertObjectKey(key: string): void {
  if (!key.split('/').every((s) => SEGMENT.test(s)))
    throw new ObjectStoreError(
      'INVALID_OBJECT_KEY',
      `not a safe object key: ${JSON.stringify(key)}`,
    );
}

/** Throws `INVALID_OBJECT_KEY` unless `prefix` is empty or the start of a valid key. */
export function assertObjectKeyPrefix(prefix: string): void {
  const segments = prefix.split('/');
  const last = segments.pop()!;
  if (!segments.every((s) => SEGMENT.test(s)) || !PARTIAL_SEGMENT.test(last))
    throw new ObjectStoreError(
      'INVALID_OBJECT_KEY',
      `not a safe object key prefix: ${JSON.stringify(prefix)}`,
    );
}

/** An ObjectStore in a local directory; writes are atomic (a temporary file, then a rename). */
export class DirectoryObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, path);
  }

  async list(prefix: string): Promise<string[]> {
    assertObjectKeyPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const directory = prefix.slice(0, slash + 1);
    let entries;
    try {
      entries = await readdir(join(this.root, directory), { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile() && !TEMPORARY.test(entry.name))
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix))
      .sort();
  }

  private path(key: string): string {
    assertObjectKey(key);
    return join(this.root, ...key.split('/'));
  }
}
