import type { Clock } from '../core';
import type { ChainLink } from './chain';
import { isDay, isHash } from './chain';

/*
 * Anchors: the head of the audit chain, written now and then where the table's writers cannot
 * rewrite it (an S3 bucket under Object Lock; a directory locally). Rewriting the table after an
 * anchor changes the hash of the anchored link, or removes it, and `audit verify` says so.
 */

/** The head of the chain at `time`: link `seq` of chain `chain` had hash `hash`. */
export interface Anchor {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  readonly time: string;
}

/** An anchor as listed from its store: read, or why it could not be. */
export type StoredAnchor =
  | { readonly key: string; readonly anchor: Anchor }
  | { readonly key: string; readonly chain: string; readonly invalid: string };

/** Where anchors are kept, out of reach of the table's writers. */
export interface AnchorStore {
  /** Writes `anchor` under {@link anchorKey}; resolves to that key. */
  put(anchor: Anchor): Promise<string>;
  /** The anchors of chains `since` (a day) and later, every one when undefined, by key. */
  list(since?: string): Promise<StoredAnchor[]>;
}

/** What an anchor is taken from: the newest link of the newest chain. */
export interface ChainHeadReader {
  head(): Promise<ChainLink | undefined>;
}

export const ANCHOR_PREFIX = 'audit-anchors/';

/**
 * `audit-anchors/<chain>/<time>.json`, the time as ISO 8601 without its colons
 * (`2026-11-29T100000.000Z`): keys sort by chain, then time.
 */
export function anchorKey(anchor: Pick<Anchor, 'chain' | 'time'>): string {
  return `${ANCHOR_PREFIX}${anchor.chain}/${anchorFileName(anchor.time)}`;
}

/** The file name part of {@link anchorKey}. */
export function anchorFileName(time: string): string {
  return `${new Date(Date.parse(time)).toISOString().replaceAll(':', '')}.json`;
}

/** The anchor's JSON, as written. */
export function anchorJson(anchor: Anchor): string {
  const { chain, seq, hash, time } = anchor;
  return `${JSON.stringify({ chain, seq, hash, time })}\n`;
}

/**
 * `text`, filed under `key` in chain `chain`'s folder, read as an anchor; or what is wrong with
 * it, an anchor filed under another chain or time than its own included (moved, or forged).
 */
export function parseAnchor(key: string, chain: string, text: string): StoredAnchor {
  const stored = parsed(key, chain, text);
  if (!('anchor' in stored)) return stored;
  const name = key.slice(key.lastIndexOf('/') + 1);
  const { anchor } = stored;
  if (anchor.chain === chain && anchorFileName(anchor.time) === name) return stored;
  return {
    key,
    chain,
    invalid: `it is filed as ${chain}/${name}, its content says ${anchor.chain}/${anchorFileName(anchor.time)}`,
  };
}

function parsed(key: string, folder: string, text: string): StoredAnchor {
  const invalid = (why: string): StoredAnchor => ({ key, chain: folder, invalid: why });
  let value: Partial<Anchor>;
  try {
    value = JSON.parse(text) as Partial<Anchor>;
  } catch {
    return invalid('it is not JSON');
  }
  const { chain, seq, hash, time } = value ?? {};
  if (!isDay(chain) || !Number.isSafeInteger(seq) || (seq ?? 0) < 1 || !isHash(hash))
    return invalid('expected {chain: yyyy-mm-dd, seq ≥ 1, hash: 64 hex, time}');
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time)))
    return invalid(`its time ${JSON.stringify(time)} is not an ISO time`);
  return { key, anchor: { chain, seq: seq!, hash, time } };
}

/**
 * Anchors the current head of `log` in `store`, stamped by `clock`; resolves to the anchor and
 * its key, or undefined when the trail holds nothing yet.
 */
export async function anchorHead(
  log: ChainHeadReader,
  store: AnchorStore,
  clock: Clock,
): Promise<{ readonly anchor: Anchor; readonly key: string } | undefined> {
  const head = await log.head();
  if (head === undefined) return undefined;
  const anchor: Anchor = {
    chain: head.chain,
    seq: head.seq,
    hash: head.hash,
    time: clock().toISOString(),
  };
  return { anchor, key: await store.put(anchor) };
}
