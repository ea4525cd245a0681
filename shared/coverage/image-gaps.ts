import type { AnalyzedImage } from '../analyzers';
import { DigestMismatchError, SizeMismatchError } from '../image';
import type { FileTree } from '../layers';
import type { LayerError } from '../layers';
import type { LayerProblem } from '../layers';
import type { CoverageGap } from './gap';

/** Codes of layer errors that mean the content is not what the image names (tampering, corruption). */
const UNVERIFIED_CODES: ReadonlySet<string> = new Set(['DIFF_ID_MISMATCH', 'BLOB_MISMATCH']);

/**
 * The gaps the image alone decides: layers not read or not verified, entries of read layers
 * skipped, and files of the final filesystem that an analyser could not parse. A file that a
 * later layer replaced or deleted is no gap: what the image runs is the later one.
 */
export function imageGaps(analyzed: AnalyzedImage, tree: FileTree): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  const dangling = danglingLinks(tree);
  for (const result of analyzed.layers) {
    const layer = result.layer.descriptor.digest;
    if (!result.ok) gaps.push(layerGap(layer, result.error));
    else {
      const problems = [...result.listing.problems, ...(dangling.get(layer)?.problems ?? [])];
      const count = result.listing.problemCount + (dangling.get(layer)?.count ?? 0);
      if (count > 0) gaps.push(entriesGap(layer, problems, count));
    }
  }
  gaps.push(...fileGaps(analyzed, tree));
  return gaps;
}

/**
 * Hard links of the final filesystem whose target no layer holds, by layer: such an entry
 * cannot be extracted (`link: no such file`), so the image as named cannot even be unpacked.
 */
export function danglingLinks(
  tree: FileTree,
): Map<string, { count: number; problems: LayerProblem[] }> {
  const byLayer = new Map<string, { count: number; problems: LayerProblem[] }>();
  for (const entry of tree.entries()) {
    if (entry.type !== 'hardlink' || entry.linkTarget === undefined || tree.has(entry.linkTarget))
      continue;
    const found = byLayer.get(entry.layer) ?? { count: 0, problems: [] };
    found.count += 1;
    if (found.problems.length === 0)
      found.problems.push({
        layer: entry.layer,
        path: entry.path,
        reason: `hard link to ${entry.linkTarget}, which no layer holds`,
      });
    byLayer.set(entry.layer, found);
  }
  return byLayer;
}

function layerGap(layer: string, error: LayerError): CoverageGap {
  const unverified = isVerificationFailure(error);
  return {
    kind: unverified ? 'layer-unverified' : 'layer-unreadable',
    subject: layer,
    reason: `${withoutLayerPrefix(error.message, layer)} (${error.code})`,
    affects: unverified
      ? 'the layer is not the content the image names: none of it was trusted or checked'
      : 'the files of this layer: their packages, secrets and checks',
    layer,
    acceptedBy: null,
  };
}

function entriesGap(layer: string, problems: readonly LayerProblem[], count: number): CoverageGap {
  const first = problems[0]!;
  return {
    kind: 'layer-entries',
    subject: layer,
    reason: `${count} ${count === 1 ? 'entry' : 'entries'} not read; first: ${first.path === undefined ? '' : `${first.path}: `}${first.reason}`,
    affects: 'the files those entries would have written',
    layer,
    acceptedBy: null,
  };
}

/** One gap per file of the final filesystem with problems, its first reason and their number. */
function fileGaps(analyzed: AnalyzedImage, tree: FileTree): CoverageGap[] {
  const byFile = new Map<string, { layer: string; analyzer: string; reasons: string[] }>();
  for (const analysis of analyzed.analyses) {
    for (const problem of analysis.result.problems ?? []) {
      const path = problem.path ?? analysis.path;
      if (tree.get(analysis.path)?.layer !== analysis.layer) continue;
      const key = `${analysis.layer}\0${path}`;
      const file = byFile.get(key) ?? {
        layer: analysis.layer,
        analyzer: analysis.analyzer,
        reasons: [],
      };
      file.reasons.push(problem.reason);
      byFile.set(key, file);
    }
  }
  return [...byFile.entries()].map(([key, file]) => {
    const path = key.slice(key.indexOf('\0') + 1);
    const more = file.reasons.length - 1;
    return {
      kind: 'file-unparsed' as const,
      subject: path,
      reason: `${file.analyzer}: ${file.reasons[0]}${more > 0 ? ` (and ${more} more)` : ''}`,
      affects: `what ${file.analyzer} reads from it: packages it lists may be missing`,
      layer: file.layer,
      acceptedBy: null,
    };
  });
}

/** A digest, size or diff_id mismatch, however the error reached here (a stored report has no cause). */
export function isVerificationFailure(error: LayerError): boolean {
  return (
    UNVERIFIED_CODES.has(error.code) ||
    error.cause instanceof DigestMismatchError ||
    error.cause instanceof SizeMismatchError
  );
}

function withoutLayerPrefix(message: string, layer: string): string {
  const prefix = `layer ${layer}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
