import type { AuditEvent, AuditLog } from '../../shared/audit/events';
import type {
  ExecutionStarter,
  RegistryWriter,
  StoredVerdict,
  VerdictStore,
} from '../../shared/pipeline';
import type { ObjectStore } from '../../shared/objects';
import type { Notification, Notifier } from '../../shared/notify/notifier';
import type { ImageTarget } from '../../shared/pipeline/states';

/*
 * In-memory test doubles of the pipeline's own ports (shared/pipeline/ports.ts), each keeping
 * what it was given so that tests can read it back, and each able to fail its next call
 * (`failNext`) so that a test can retry a step half-way through.
 */

/** The next call of a fake throws the queued error (a throttle, say) instead of doing anything. */
class Faults {
  private readonly queued: Error[] = [];

  /** The next call throws `error`. */
  failNext(error: Error = throttled()): void {
    this.queued.push(error);
  }

  protected check(): void {
    const error = this.queued.shift();
    if (error) throw error;
  }
}

/** An SDK-like throttling error: `stepErrorOf` classes it as transient. */
export function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $retryable: { throttling: true },
  });
}

export class MemoryObjectStore extends Faults implements ObjectStore {
  readonly objects = new Map<string, Buffer>();

  get(key: string): Promise<Buffer | undefined> {
    this.check();
    return Promise.resolve(this.objects.get(key));
  }

  put(key: string, body: Buffer): Promise<void> {
    this.check();
    this.objects.set(key, Buffer.from(body));
    return Promise.resolve();
  }

  list(prefix: string): Promise<string[]> {
    this.check();
    return Promise.resolve([...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort());
  }

  /** The object at `key` as JSON (a test failure when there is none). */
  json(key: string): unknown {
    const body = this.objects.get(key);
    if (!body) throw new Error(`no object at ${key}`);
    return JSON.parse(body.toString('utf8'));
  }
}

/** The images table as the port describes it: per digest, per repository:tag, markers, blocks. */
export class MemoryVerdictStore extends Faults implements VerdictStore {
  readonly byDigest = new Map<string, StoredVerdict>();
  readonly byTag = new Map<string, StoredVerdict>();
  readonly promotions = new Map<string, Date>();
  readonly blocks: { image: ImageTarget; scanId: string; reason: string }[] = [];
  records = 0;

  verdictOf(digest: string): Promise<StoredVerdict | undefined> {
    this.check();
    return Promise.resolve(this.byDigest.get(digest));
  }

  lastVerdictOf(repository: string, tag: string | undefined): Promise<StoredVerdict | undefined> {
    this.check();
    return Promise.resolve(this.byTag.get(`${repository}:${tag ?? ''}`));
  }

  record(image: ImageTarget, verdict: StoredVerdict): Promise<void> {
    this.check();
    this.records += 1;
    for (const [map, key] of [
      [this.byDigest, verdict.digest],
      [this.byTag, `${image.repository}:${image.tag ?? ''}`],
    ] as const) {
      const stored = map.get(key);
      if (!stored || stored.recordedAt <= verdict.recordedAt) map.set(key, verdict);
    }
    return Promise.resolve();
  }

  markPromotion(repository: string, digest: string, expiresAt: Date): Promise<void> {
    this.check();
    this.promotions.set(`${repository}@${digest}`, expiresAt);
    return Promise.resolve();
  }

  isPromotion(repository: string, digest: string, at: Date): Promise<boolean> {
    this.check();
    const expiresAt = this.promotions.get(`${repository}@${digest}`);
    return Promise.resolve(expiresAt !== undefined && at < expiresAt);
  }

  readonly indexed = new Map<string, { index: string; expiresAt: Date }>();

  markIndexed(repository: string, digest: string, index: string, expiresAt: Date): Promise<void> {
    this.check();
    const kept = this.indexed.get(`${repository}@${digest}`);
    if (kept === undefined || kept.expiresAt < expiresAt)
      this.indexed.set(`${repository}@${digest}`, { index, expiresAt });
    return Promise.resolve();
  }

  indexOf(repository: string, digest: string, at: Date): Promise<string | undefined> {
    this.check();
    const mark = this.indexed.get(`${repository}@${digest}`);
    return Promise.resolve(mark !== undefined && at < mark.expiresAt ? mark.index : undefined);
  }

  block(image: ImageTarget, scanId: string, reason: string): Promise<void> {
    this.check();
    if (!this.blocks.some((b) => b.image.digest === image.digest && b.scanId === scanId))
      this.blocks.push({ image, scanId, reason });
    return Promise.resolve();
  }
}

export class MemoryAuditLog extends Faults implements AuditLog {
  readonly events: AuditEvent[] = [];

  append(events: readonly AuditEvent[]): Promise<void> {
    this.check();
    for (const event of events)
      if (!this.events.some((e) => e.id === event.id)) this.events.push(event);
    return Promise.resolve();
  }

  /** The types of the events recorded, in order. */
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}

export class MemoryNotifier extends Faults implements Notifier {
  readonly sent: Notification[] = [];

  publish(notification: Notification): Promise<boolean> {
    this.check();
    if (this.sent.some((n) => n.id === notification.id)) return Promise.resolve(false);
    this.sent.push(notification);
    return Promise.resolve(true);
  }
}

export class MemoryRegistryWriter extends Faults implements RegistryWriter {
  /** `repository:tag` → the digest copied there. */
  readonly tags = new Map<string, string>();
  calls = 0;

  copy(from: ImageTarget, to: { repository: string; tag: string }): Promise<void> {
    this.check();
    this.calls += 1;
    this.tags.set(`${to.repository}:${to.tag}`, from.digest);
    return Promise.resolve();
  }
}

/** Step Functions' StartExecution as far as names go: a name starts once. */
export class MemoryExecutionStarter extends Faults implements ExecutionStarter {
  readonly started = new Map<string, unknown>();

  start(name: string, input: unknown): Promise<{ started: boolean }> {
    this.check();
    if (this.started.has(name)) return Promise.resolve({ started: false });
    this.started.set(name, input);
    return Promise.resolve({ started: true });
  }
}

/** A clock standing still at `iso` unless moved with `advance`. */
export function fixedClock(iso = '2026-11-29T10:00:00.000Z'): (() => Date) & {
  advance(seconds: number): void;
} {
  let now = new Date(iso).getTime();
  return Object.assign(() => new Date(now), {
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  });
}
