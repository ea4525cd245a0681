import { canonicalJson } from './canonical';
import { indexAttributes, linkHash, readLink, type ChainLink, type LinkContent } from './chain';
import type { AuditProblem } from './problems';

/** A link as a store read it, with the lookup attributes it keeps beside an event's record. */
export interface StoredLink extends ChainLink {
  /** As stored (id, type, day, timeId, repository, digest); undefined where a store keeps none. */
  readonly indexed?: Readonly<Record<string, string | undefined>>;
}

/** One chain's links, read in sequence order. */
export interface ChainData {
  readonly chain: string;
  readonly links: readonly StoredLink[];
}

/**
 * The first problem inside one chain, or undefined: sequence numbers 1, 2, … without a gap,
 * each record hashing to its link's hash from the previous link's hash, lookup attributes that
 * agree with the record, each event id once (`seen` holds the ids of earlier chains), and a seal
 * only as the last link, naming its own chain.
 */
export function chainProblem(data: ChainData, seen: Set<string>): AuditProblem | undefined {
  const { chain, links } = data;
  for (const [i, link] of links.entries()) {
    const where = { chain, seq: i + 1 };
    if (link.seq !== i + 1)
      return {
        ...where,
        code: 'SEQ_GAP',
        message: `expected link ${i + 1}, found link ${link.seq} next: ${gap(i + 1, link.seq)} missing (deleted)`,
      };
    const content = readLink(link);
    if (content.kind === 'unreadable')
      return {
        ...where,
        code: 'UNREADABLE_LINK',
        message: `the link cannot be read: ${content.reason}`,
      };
    const located = { ...where, ...(content.kind === 'event' && { eventId: content.event.id }) };
    const problem =
      hashProblem(links, i, recordText(content)) ?? contentProblem(data, i, content, seen);
    if (problem !== undefined) return { ...located, ...problem };
  }
  return undefined;
}

type Finding = Pick<AuditProblem, 'code' | 'message'>;

/** The record's canonical text, as hashed (a non-canonical but equal record hashes the same). */
function recordText(content: LinkContent): string {
  return canonicalJson(content.kind === 'event' ? content.event : { seal: content.seal });
}

function hashProblem(links: readonly StoredLink[], i: number, text: string): Finding | undefined {
  const link = links[i]!;
  const expectedPrev = i === 0 ? link.prevHash : links[i - 1]!.hash;
  const recomputed = linkHash(link.prevHash, text);
  if (recomputed !== link.hash) {
    const home = links.findIndex((other) => linkHash(other.prevHash, text) === other.hash);
    if (home >= 0 && home !== i)
      return {
        code: 'REORDERED',
        message: `the record here hashes right at seq ${home + 1}, not here: links ${link.seq} and ${home + 1} were swapped`,
      };
    return {
      code: 'HASH_MISMATCH',
      message: `the record hashes to ${recomputed}, the link says ${link.hash}: the event was edited after it was chained`,
    };
  }
  if (link.prevHash === expectedPrev) return undefined;
  const follows = links.findIndex((other) => other.hash === link.prevHash);
  if (follows >= 0)
    return {
      code: 'REORDERED',
      message: `the link chains from link ${follows + 1}, expected link ${i}: links were reordered`,
    };
  return {
    code: 'BROKEN_LINK',
    message: `the link chains from ${link.prevHash}, but link ${i} has hash ${expectedPrev}: link ${i} was replaced, or links between were deleted`,
  };
}

function contentProblem(
  data: ChainData,
  i: number,
  content: LinkContent,
  seen: Set<string>,
): Finding | undefined {
  if (content.kind === 'seal') {
    if (i !== data.links.length - 1)
      return { code: 'MISPLACED_SEAL', message: 'a seal closes its chain, yet links follow it' };
    if (content.seal.chain !== data.chain)
      return {
        code: 'MISPLACED_SEAL',
        message: `the seal closes chain ${content.seal.chain}, but it is in chain ${data.chain}`,
      };
    return undefined;
  }
  const { event } = content;
  if (seen.has(event.id))
    return {
      code: 'DUPLICATE_EVENT',
      message: `event ${event.id} is recorded at an earlier link too`,
    };
  seen.add(event.id);
  return indexProblem(data.links[i]!, content.event);
}

function indexProblem(
  link: StoredLink,
  event: Parameters<typeof indexAttributes>[0],
): Finding | undefined {
  if (link.indexed === undefined) return undefined;
  const expected = indexAttributes(event);
  for (const name of new Set([...Object.keys(expected), ...Object.keys(link.indexed)]))
    if (expected[name] !== link.indexed[name])
      return {
        code: 'INDEX_MISMATCH',
        message: `its ${name} attribute is ${JSON.stringify(link.indexed[name])}, its record says ${JSON.stringify(expected[name])}`,
      };
  return undefined;
}

function gap(from: number, to: number): string {
  return to - 1 === from ? `link ${from} is` : `links ${from}-${to - 1} are`;
}
