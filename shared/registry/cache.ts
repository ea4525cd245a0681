/** A value and the time (ms since the epoch) from which it must be fetched again. */
export interface Expiring<T> {
  readonly value: T;
  readonly expiresAt: number;
}

interface Entry<T> {
  readonly promise: Promise<Expiring<T>>;
  expiresAt?: number;
}

/**
 * Values (tokens, credentials) kept until they expire. Concurrent callers for a key share one
 * load; a failed load is forgotten so the next caller tries again.
 */
export class ExpiringCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The cached value for `key` while it is fresh (or still loading), else what `load` gives. */
  async get(key: string, load: () => Promise<Expiring<T>>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached !== undefined && (cached.expiresAt === undefined || cached.expiresAt > this.now())) {
      return (await cached.promise).value;
    }
    const entry: Entry<T> = { promise: load() };
    this.entries.set(key, entry);
    try {
      const loaded = await entry.promise;
      entry.expiresAt = loaded.expiresAt;
      return loaded.value;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
