import { createHash } from 'node:crypto';
import type { AuditEvent } from './events';
import { canonicalJson } from './canonical';
import { AuditError } from './errors';

/*
 * The audit trail's chain model.
 *
 * Events are kept in chains, one per UTC day (the chain id is the day, `yyyy-mm-dd`). Each link
 * holds one record, its sequence number in the chain (1, 2, …, no gaps), the hash of the link
 * before it (`prevHash`) and its own hash:
 *
 *   hash = lowercase hex of SHA-256( UTF-8(prevHash) ‖ UTF-8(JCS(record)) )
 *
 * where prevHash is the 64 lowercase hex characters of the previous link's hash (64 zeros for
 * the very first link of the very first chain) and JCS is RFC 8785's canonical JSON.
 *
 * A record is an event (the AuditEvent as given, fields left undefined omitted) or a seal,
 * `{"seal":{"chain":"<day>","next":"<later day>"}}`: the last link of a chain that closes it and
 * names the chain after it. The next chain's first link chains from the seal's hash, so a chain
 * whose first link does not follow its predecessor's head, or a predecessor cut short (its seal
 * gone), is found. An event goes to the chain of its time's day; an event older than the newest
 * chain (a step retried after midnight) goes to the newest chain, whose day is then later than
 * the event's: chains close once and are never appended to after their seal.
 */

/** The prevHash of the first link of the first chain. */
export const GENESIS_HASH = '0'.repeat(64);

const HASH = /^[0-9a-f]{64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A link's place: the hash it chains from and where it goes. */
export interface LinkPosition {
  readonly chain: string;
  readonly seq: number;
  readonly prevHash: string;
}

/** One link as stored: its place, its hash and the canonical JSON of its record. */
export interface ChainLink extends LinkPosition {
  readonly hash: string;
  readonly record: string;
}

/** The record of a seal: chain `chain` is closed and `next` follows it. */
export interface SealRecord {
  readonly seal: { readonly chain: string; readonly next: string };
}

/** What a link's record is, read. */
export type LinkContent =
  | { readonly kind: 'event'; readonly event: AuditEvent }
  | { readonly kind: 'seal'; readonly seal: SealRecord['seal'] };

/** The hash of a link chained from `prevHash` holding the record of canonical JSON `record`. */
export function linkHash(prevHash: string, record: string): string {
  return createHash('sha256').update(prevHash, 'utf8').update(record, 'utf8').digest('hex');
}

/** The link holding `record` (an event or a seal) at `position`. */
export function newLink(position: LinkPosition, record: AuditEvent | SealRecord): ChainLink {
  const text = canonicalJson(record);
  return { ...position, hash: linkHash(position.prevHash, text), record: text };
}

/** The seal closing `chain` and naming `next`. */
export function sealRecord(chain: string, next: string): SealRecord {
  return { seal: { chain, next } };
}

/**
 * The UTC day of an event's time: its chain unless a later chain is open. An event without an
 * id or a parseable time is a bug of its maker.
 */
export function eventDay(event: Pick<AuditEvent, 'id' | 'time'>): string {
  const ms = Date.parse(event.time);
  if (event.id === '' || Number.isNaN(ms))
    throw new AuditError(
      'INVALID_EVENT',
      `expected an audit event with an id and an ISO time, got id ${JSON.stringify(event.id)} at ${JSON.stringify(event.time)}`,
      'bug',
    );
  return new Date(ms).toISOString().slice(0, 10);
}

/** The event's time as a sortable UTC ISO string followed by its id: the indexes' sort key. */
export function timeId(event: Pick<AuditEvent, 'id' | 'time'>): string {
  return `${new Date(Date.parse(event.time)).toISOString()}#${event.id}`;
}

/**
 * The attributes a store keeps beside an event's record so that it can be found (by id, day,
 * repository, digest): derived from the record, so verification can tell when they disagree.
 */
export function indexAttributes(event: AuditEvent): Readonly<Record<string, string>> {
  return {
    id: event.id,
    type: event.type,
    day: eventDay(event),
    timeId: timeId(event),
    ...(event.image !== undefined && {
      repository: event.image.repository,
      digest: event.image.digest,
    }),
  };
}

/** What `link` holds, or why it cannot be read. */
export function readLink(
  link: ChainLink,
): LinkContent | { readonly kind: 'unreadable'; readonly reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(link.record);
  } catch {
    return { kind: 'unreadable', reason: 'its record is not JSON' };
  }
  if (isSeal(value)) return { kind: 'seal', seal: value.seal };
  if (isEvent(value)) return { kind: 'event', event: value };
  return { kind: 'unreadable', reason: 'its record is neither an event nor a seal' };
}

/** Whether `hash` is a hash as links hold them (64 lowercase hex). */
export function isHash(hash: unknown): hash is string {
  return typeof hash === 'string' && HASH.test(hash);
}

/** Whether `day` is a chain id (`yyyy-mm-dd`). */
export function isDay(day: unknown): day is string {
  return typeof day === 'string' && DAY.test(day);
}

function isSeal(value: unknown): value is SealRecord {
  const seal = (value as { seal?: { chain?: unknown; next?: unknown } } | null)?.seal;
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    isDay(seal?.chain) &&
    isDay(seal?.next)
  );
}

function isEvent(value: unknown): value is AuditEvent {
  const event = value as Partial<AuditEvent> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.id === 'string' &&
    typeof event.type === 'string' &&
    typeof event.time === 'string' &&
    typeof event.actor === 'string' &&
    typeof event.details === 'object' &&
    typeof event.versions === 'object'
  );
}
