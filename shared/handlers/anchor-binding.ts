import { z } from 'zod';
import type { Clock } from '../core';
import { stepBinding } from '../pipeline';
import { anchorHead, type AnchorStore, type ChainHeadReader } from '../audit';

export interface AuditAnchorDeps {
  readonly log: ChainHeadReader;
  readonly anchors: AnchorStore;
  readonly clock: Clock;
}

/** What an invocation anchored: the head and where, or nothing when the trail is empty. */
export type AuditAnchorResult =
  | { readonly anchored: false }
  | {
      readonly anchored: true;
      readonly chain: string;
      readonly seq: number;
      readonly hash: string;
      readonly key: string;
    };

/**
 * The hourly anchor (EventBridge Scheduler, any input), the `audit-anchor` function: the head
 * of the audit chain written to the Object Lock bucket, so that a later rewrite of the table is
 * found by `audit verify`.
 */
export const AUDIT_ANCHOR_STEP = stepBinding(
  'AuditAnchor',
  z.unknown(),
  async (_input, deps: AuditAnchorDeps): Promise<AuditAnchorResult> => {
    const anchored = await anchorHead(deps.log, deps.anchors, deps.clock);
    if (anchored === undefined) return { anchored: false };
    const { chain, seq, hash } = anchored.anchor;
    return { anchored: true, chain, seq, hash, key: anchored.key };
  },
);
