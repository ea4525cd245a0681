import { setTimeout as sleep } from 'node:timers/promises';
import { marshall } from '@aws-sdk/util-dynamodb';
import { eventDay, newLink, readLink, sealRecord, type ChainLink } from '../../audit';
import { AuditError } from '../../audit';
import type { AuditEvent } from '../../audit';
import type { ChainTable, Position } from './audit-chain';
import { CHAINS_PK, GENESIS_SK, eventIndexItem, eventKey, linkItem } from './audit-items';

/** How hard an append tries when other writers keep taking the next link. */
export interface AppendRetry {
  /** @default 50 */
  readonly attempts?: number;
  /** Backoff before attempt k: random() × min(capMs, baseMs × 2^k). @default 10 */
  readonly baseMs?: number;
  /** @default 200 */
  readonly capMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
}

type Attempt = { readonly done: true; readonly next?: Position } | { readonly done: false };
const RETRY: Attempt = { done: false };

/**
 * Appends events to the chain, one link each. Per attempt: find the open chain and its head
 * (consistently), stop if the event is already there (the head is it, or its lookup item exists:
 * a retried append), make sure the head has its lookup item, seal the open chain first when the
 * event's day is later, then put the link at head + 1 with `attribute_not_exists`. A writer that
 * lost the race reads the head again after a jittered backoff.
 *
 * Why nothing is lost or doubled by a crash: the link is the record and goes first; its lookup
 * item `EVENT#<id>` follows. A crash between the two leaves the event as the head of its chain,
 * without lookup item; every writer gives the head its lookup item before putting a link after
 * it, so every link but a head has one. A retry reads the head first, then the lookup item: it
 * finds the event either way.
 */
export class ChainAppender {
  private cached: Position | undefined;

  constructor(
    private readonly table: ChainTable,
    private readonly retry: AppendRetry = {},
  ) {}

  async append(event: AuditEvent): Promise<void> {
    const day = eventDay(event);
    const attempts = this.retry.attempts ?? 50;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(this.backoff(attempt));
      const cached = this.cached;
      this.cached = undefined;
      const position = cached ?? (await this.table.locate(day));
      const outcome = await this.attempt(event, day, position, cached !== undefined);
      if (outcome.done) {
        this.cached = outcome.next;
        return;
      }
    }
    throw new AuditError(
      'CHAIN_CONTENDED',
      `appending event ${event.id} to the audit chain of ${day} failed ${attempts} times: other writers kept taking the next link`,
      'transient',
    );
  }

  /** One try at `position`; `ours` when its head is the link this appender just wrote. */
  private async attempt(
    event: AuditEvent,
    day: string,
    position: Position,
    ours: boolean,
  ): Promise<Attempt> {
    const head = position.head === undefined ? undefined : readLink(position.head);
    if (head?.kind === 'event' && head.event.id === event.id) {
      await this.table.putNew(eventIndexItem(event.id, position.head!));
      return { done: true, next: position };
    }
    if ((await this.table.get(eventKey(event.id))) !== undefined)
      return { done: true, next: position };
    if (head?.kind === 'event' && !ours)
      await this.table.putNew(eventIndexItem(head.event.id, position.head!));
    if (position.genesis && !(await this.claimGenesis(day))) return RETRY;
    const at = position.chain < day ? await this.seal(position, day) : position;
    if (at === undefined) return RETRY;
    const link = newLink(at, event);
    if (!(await this.table.putNew(linkItem(link, event)))) return RETRY;
    await this.table.putNew(eventIndexItem(event.id, link));
    return { done: true, next: after(link) };
  }

  /**
   * Closes the open chain with a seal naming `day` (its hint written first), so that the day's
   * chain can start from the seal's hash; undefined when another writer got there first.
   */
  private async seal(position: Position, day: string): Promise<Position | undefined> {
    await this.table.putNew(marshall({ pk: CHAINS_PK, sk: day }));
    const seal = newLink(position, sealRecord(position.chain, day));
    if (!(await this.table.putNew(linkItem(seal)))) return undefined;
    return { chain: day, seq: 1, prevHash: seal.hash, newest: seal };
  }

  /** Names `day` the first chain of all, unless another writer named one first. */
  private async claimGenesis(day: string): Promise<boolean> {
    await this.table.putNew(marshall({ pk: CHAINS_PK, sk: day }));
    return this.table.putNew(marshall({ pk: CHAINS_PK, sk: GENESIS_SK, chain: day }));
  }

  private backoff(attempt: number): number {
    const { baseMs = 10, capMs = 200, random = Math.random } = this.retry;
    return random() * Math.min(capMs, baseMs * 2 ** attempt);
  }
}

function after(link: ChainLink): Position {
  return { chain: link.chain, seq: link.seq + 1, prevHash: link.hash, head: link, newest: link };
}
