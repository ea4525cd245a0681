import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A JSON-lines file of records kept once by id, across runs too: what the local runner keeps in
 * place of a topic or a bus. Appends go one at a time, so that two of the same id cannot both
 * miss the other.
 */
export class JsonlOutbox<T extends { readonly id: string }> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  /**
   * Appends the record `make` builds, unless one of `id` is there already; whether it was
   * appended. `then` runs after an append, within the same turn of the queue.
   */
  append(id: string, make: () => T, then?: (record: T) => void): Promise<boolean> {
    const appended = this.queue.then(async () => {
      if ((await this.read()).some((record) => record.id === id)) return false;
      const record = make();
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, `${JSON.stringify(record)}\n`);
      then?.(record);
      return true;
    });
    this.queue = appended.catch(() => undefined);
    return appended;
  }

  /** The records, oldest first; none while the file does not exist. */
  async read(): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as T);
  }
}
