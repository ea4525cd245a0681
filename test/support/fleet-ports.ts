import type { AuditEvent, AuditLog } from '../../shared/audit/events';
import type { Notification, Notifier } from '../../shared/notify/notifier';
import type { StoredVerdict, VerdictStore } from '../../shared/pipeline/ports';
import type { ImageTarget } from '../../shared/pipeline/states';
import type { SyncTarget } from '../../shared/pipeline/sync';
import type { OsvRecord } from '../../shared/osv/record';
import type { LocalStore, UpsertOutcome } from '../../shared/vulndb/local-store';
import type { DataVersion } from '../../shared/vulndb/store';

/*
 * Stand-ins of the pipeline's own ports for the fleet and sync tests: each keeps what it was
 * given so that a test reads it back.
 */

/** The images table: the latest verdict per digest and per repository:tag. */
export class FakeVerdictStore implements VerdictStore {
  readonly byDigest = new Map<string, StoredVerdict>();
  readonly byTag = new Map<string, StoredVerdict>();
  /** Every `record` call, in order. */
  readonly recorded: { image: ImageTarget; verdict: StoredVerdict }[] = [];

  verdictOf(digest: string): Promise<StoredVerdict | undefined> {
    return Promise.resolve(this.byDigest.get(digest));
  }

  lastVerdictOf(repository: string, tag: string | undefined): Promise<StoredVerdict | undefined> {
    return Promise.resolve(this.byTag.get(`${repository}:${tag ?? ''}`));
  }

  /** As the port says: the same scan id again changes nothing. */
  record(image: ImageTarget, verdict: StoredVerdict): Promise<void> {
    this.recorded.push({ image, verdict });
    if (this.byDigest.get(verdict.digest)?.scanId !== verdict.scanId) {
      this.byDigest.set(verdict.digest, verdict);
      this.byTag.set(`${image.repository}:${image.tag ?? ''}`, verdict);
    }
    return Promise.resolve();
  }

  markPromotion(): Promise<void> {
    return Promise.reject(new Error('the fleet never promotes'));
  }

  isPromotion(): Promise<boolean> {
    return Promise.reject(new Error('the fleet never promotes'));
  }

  block(): Promise<void> {
    return Promise.reject(new Error('the fleet never blocks'));
  }

  markIndexed(): Promise<void> {
    return Promise.reject(new Error('the fleet never marks platform manifests'));
  }

  indexOf(): Promise<string | undefined> {
    return Promise.reject(new Error('the fleet never asks for an index'));
  }
}

/** Published notifications, once per id as the port promises. */
export class FakeNotifier implements Notifier {
  readonly published: Notification[] = [];

  publish(notification: Notification): Promise<boolean> {
    if (this.published.some((n) => n.id === notification.id)) return Promise.resolve(false);
    this.published.push(notification);
    return Promise.resolve(true);
  }
}

/** Appended audit events, once per id. */
export class FakeAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];

  append(events: readonly AuditEvent[]): Promise<void> {
    for (const event of events)
      if (!this.events.some((e) => e.id === event.id)) this.events.push(event);
    return Promise.resolve();
  }
}

/** The local store as a sync target: each upsert a transaction of its own, one at a time. */
export class LocalSyncTarget implements SyncTarget {
  readonly versions: DataVersion[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly store: LocalStore) {}

  upsert(record: OsvRecord, now: Date): Promise<UpsertOutcome> {
    const next = this.queue.then(() =>
      this.store.transaction((add) => Promise.resolve(add(record)), now),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  writeDataVersion(version: DataVersion): Promise<void> {
    this.versions.push(version);
    return Promise.resolve();
  }
}
