import type { ObjectStore } from '../objects';
import { ImageTarget } from '../pipeline';
import { FleetError } from './errors';

/** Where one fleet run keeps its objects in the artifacts bucket. */
export function fleetKeys(runId: string): {
  readonly items: string;
  /** The Distributed Map's ResultWriter prefix (it adds `<map run id>/manifest.json`). */
  readonly results: string;
  readonly summary: string;
  /** What the listing left out (`SkippedItems`). */
  readonly skipped: string;
  /** The run's page for people: `index.html` (fleet-page.ts). */
  readonly page: string;
} {
  return {
    skipped: `fleet/${runId}/skipped.json`,
    items: `fleet/${runId}/items.jsonl`,
    results: `fleet/${runId}/results`,
    summary: `fleet/${runId}/summary.json`,
    page: `fleet/${runId}/index.html`,
  };
}

/**
 * The items in a deterministic order (repository, then digest, then registry), one per image:
 * the same image listed twice (a repository seen in two pages, say) is kept once, with the
 * first tag in sort order.
 */
export function orderItems(targets: Iterable<ImageTarget>): ImageTarget[] {
  const byImage = new Map<string, ImageTarget>();
  for (const target of targets) {
    const id = `${target.repository}\0${target.digest}\0${target.registry}`;
    const kept = byImage.get(id);
    if (kept === undefined || firstTag(target.tag, kept.tag)) byImage.set(id, target);
  }
  return [...byImage.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, target]) => target);
}

/** JSON Lines, the format of the Distributed Map's `S3 JSONL` ItemReader: one target a line. */
export function encodeItems(targets: readonly ImageTarget[]): Buffer {
  return Buffer.from(targets.map((t) => `${JSON.stringify(t)}\n`).join(''), 'utf8');
}

/** The targets of an items file; a line that is not an `ImageTarget` fails with its number. */
export function decodeItems(body: Buffer, source: string): ImageTarget[] {
  const targets: ImageTarget[] = [];
  body
    .toString('utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      targets.push(parseLine(line, `${source} line ${index + 1}`));
    });
  return targets;
}

/** Writes the run's items file; returns its key and how many items it holds. */
export async function writeItems(
  store: ObjectStore,
  runId: string,
  targets: Iterable<ImageTarget>,
): Promise<{ readonly key: string; readonly count: number }> {
  const items = orderItems(targets);
  const key = fleetKeys(runId).items;
  await store.put(key, encodeItems(items));
  return { key, count: items.length };
}

/**
 * The items of an items file, as the Distributed Map's ItemReader would hand them out: what the
 * local runner (an inline Map, no ItemReader) and the tests iterate over.
 */
export async function readItems(store: ObjectStore, key: string): Promise<ImageTarget[]> {
  const body = await store.get(key);
  if (body === undefined)
    throw new FleetError('FLEET_ITEMS_MALFORMED', `there is no items file at ${key}`);
  return decodeItems(body, key);
}

function parseLine(line: string, where: string): ImageTarget {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new FleetError(
      'FLEET_ITEMS_MALFORMED',
      `${where}: expected a JSON object, got ${preview(line)}`,
    );
  }
  const parsed = ImageTarget.safeParse(json);
  if (!parsed.success)
    throw new FleetError(
      'FLEET_ITEMS_MALFORMED',
      `${where}: expected an image target, got ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}

/** `candidate` sorts before `kept` (an untagged copy never replaces a tagged one). */
function firstTag(candidate: string | undefined, kept: string | undefined): boolean {
  if (candidate === undefined) return false;
  return kept === undefined || candidate < kept;
}

function preview(line: string): string {
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}
