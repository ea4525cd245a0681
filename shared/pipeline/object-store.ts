import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PipelineError } from './errors';

/**
 * Where the pipeline keeps objects (layer reports, SBOMs, reports): S3 in the cloud, a
 * directory locally (STYLE.md §6). Keys are `/`-separated relative paths.
 */
export interface ObjectStore {
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, body: Buffer): Promise<void>;
}

/** Segments of a key: no empty, `.` or `..` segment, so a key cannot leave the store. */
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._=+@-]+$/;

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

  private path(key: string): string {
    const segments = key.split('/');
    if (!segments.every((s) => SEGMENT.test(s)))
      throw new PipelineError(
        'INVALID_OBJECT_KEY',
        `not a safe object key: ${JSON.stringify(key)}`,
      );
    return join(this.root, ...segments);
  }
}
