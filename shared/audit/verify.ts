import type { AnchorStore, StoredAnchor } from './anchor';
import { GENESIS_HASH, readLink, type ChainLink } from './chain';
import type { AuditProblem } from './problems';
import { chainProblem, type ChainData, type StoredLink } from './verify-links';

export type { ChainData, StoredLink };

/** What verification reads: chains in day order, the link before them, the anchors. */
export interface VerifyInput {
  /** Consecutive chains, oldest first (the newest may be open). */
  readonly chains: readonly ChainData[];
  /**
   * The last link of the chain before the first one, when verification starts at a later day
   * (its own hash is taken as stored). Undefined: the first chain is the first of all and
   * chains from 64 zeros.
   */
  readonly before?: ChainLink;
  /** The anchors of these chains. */
  readonly anchors: readonly StoredAnchor[];
}

/** One chain that verified. */
export interface ChainSummary {
  readonly chain: string;
  readonly links: number;
  readonly events: number;
  /** The chain after it, when a seal closes it. */
  readonly sealedInto?: string;
}

export interface VerifyReport {
  /** The chains that verified, in order, up to the problem if there is one. */
  readonly chains: readonly ChainSummary[];
  /** Anchors that matched. */
  readonly anchors: number;
  /** The first problem found, or undefined when everything verified. */
  readonly problem?: AuditProblem;
}

/** Reads the chains to verify (the audit table's adapter). */
export interface TrailReader {
  trail(since?: string): Promise<Omit<VerifyInput, 'anchors'>>;
}

/** Verifies the trail of `log` from `since` (every chain when undefined) against `anchors`. */
export async function verifyAuditTrail(
  log: TrailReader,
  anchors: AnchorStore,
  since?: string,
): Promise<VerifyReport> {
  const [trail, stored] = await Promise.all([log.trail(since), anchors.list(since)]);
  return verifyTrail({ ...trail, anchors: stored });
}

/**
 * Recomputes the chains and checks the anchors: every link, every join between two chains (the
 * first link chains from the predecessor's seal, which names it), then every anchor against
 * the link it names. Stops at the first problem, which it locates.
 */
export function verifyTrail(input: VerifyInput): VerifyReport {
  const chains: ChainSummary[] = [];
  const seen = new Set<string>();
  let previous = input.before;
  for (const data of input.chains) {
    const problem = joinProblem(previous, data) ?? chainProblem(data, seen);
    if (problem !== undefined) return { chains, anchors: 0, problem };
    chains.push(summaryOf(data));
    previous = data.links.at(-1) ?? previous;
  }
  const first = input.chains[0]?.chain ?? input.before?.chain ?? '';
  const links = new Map(
    input.chains.flatMap((data) => data.links.map((link) => [`${data.chain}#${link.seq}`, link])),
  );
  let anchors = 0;
  for (const stored of input.anchors) {
    if ('anchor' in stored && stored.anchor.chain < first) continue;
    const problem = anchorProblem(stored, links);
    if (problem !== undefined) return { chains, anchors, problem };
    anchors++;
  }
  return { chains, anchors };
}

/** A chain's first link against the head of the chain before it (or 64 zeros for the first). */
function joinProblem(previous: ChainLink | undefined, data: ChainData): AuditProblem | undefined {
  const first = data.links[0];
  // A chain without its first link is a gap, found by chainProblem.
  if (first === undefined || first.seq !== 1) return undefined;
  const where = { chain: data.chain, seq: 1, ...eventIdOf(first) };
  if (previous === undefined)
    return first.prevHash === GENESIS_HASH
      ? undefined
      : {
          ...where,
          code: 'GENESIS_MISMATCH',
          message: `the first chain's first link chains from ${first.prevHash}, expected 64 zeros: earlier links were removed`,
        };
  const content = readLink(previous);
  if (content.kind !== 'seal')
    return {
      ...where,
      code: 'CHAIN_NOT_SEALED',
      message: `chain ${previous.chain} ends at seq ${previous.seq} without a seal naming chain ${data.chain}: its seal was deleted, or this chain was added`,
    };
  if (content.seal.next !== data.chain)
    return {
      ...where,
      code: 'CHAIN_NOT_SEALED',
      message: `chain ${previous.chain}'s seal names chain ${content.seal.next} next, not this one: chain ${content.seal.next < data.chain ? `${content.seal.next} was deleted` : `${data.chain} was added`}`,
    };
  if (first.prevHash === previous.hash) return undefined;
  return {
    ...where,
    code: 'CHAIN_LINK_MISMATCH',
    message: `the chain's first link chains from ${first.prevHash}, but the head of chain ${previous.chain} (seq ${previous.seq}) has hash ${previous.hash}`,
  };
}

function anchorProblem(
  stored: StoredAnchor,
  links: ReadonlyMap<string, ChainLink>,
): AuditProblem | undefined {
  if (!('anchor' in stored))
    return {
      chain: stored.chain,
      anchor: stored.key,
      code: 'UNREADABLE_ANCHOR',
      message: `the anchor cannot be read: ${stored.invalid}`,
    };
  const { anchor, key } = stored;
  const where = { chain: anchor.chain, seq: anchor.seq, anchor: key };
  const link = links.get(`${anchor.chain}#${anchor.seq}`);
  if (link === undefined)
    return {
      ...where,
      code: 'ANCHOR_LINK_MISSING',
      message: `anchored at ${anchor.time}, the link is not in the table: links were removed after it was anchored`,
    };
  if (link.hash === anchor.hash) return undefined;
  return {
    ...where,
    ...eventIdOf(link),
    code: 'ANCHOR_MISMATCH',
    message: `anchored at ${anchor.time} with hash ${anchor.hash}, the link now has hash ${link.hash}: the table was rewritten, or the anchor forged`,
  };
}

function summaryOf(data: ChainData): ChainSummary {
  const last = data.links.at(-1);
  const sealed = last === undefined ? undefined : readLink(last);
  const seal = sealed?.kind === 'seal' ? sealed.seal : undefined;
  return {
    chain: data.chain,
    links: data.links.length,
    events: data.links.length - (seal === undefined ? 0 : 1),
    ...(seal !== undefined && { sealedInto: seal.next }),
  };
}

function eventIdOf(link: ChainLink): { eventId?: string } {
  const content = readLink(link);
  return content.kind === 'event' ? { eventId: content.event.id } : {};
}
