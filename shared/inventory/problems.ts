import type { AnalyzedImage } from '../analyzers';
import type { Digest } from '../image';
import { MAX_LAYER_PROBLEMS, type LayerListing } from '../layers';
import type { InventoryProblem } from './package';

/**
 * Layers that could not be read, the problems each listing kept (at most MAX_LAYER_PROBLEMS)
 * and the analysers' problems, of which each layer lists as many: what a layer has beyond that
 * is said in one line with its number. Appended one by one: spreading a list of a million
 * problems into `push` overflows the stack.
 */
export function problemsOf(
  analyzed: AnalyzedImage,
  listings: readonly LayerListing[],
): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  for (const r of analyzed.layers)
    if (!r.ok) problems.push({ layer: r.layer.descriptor.digest, reason: r.error.message });
  for (const l of listings) {
    for (const problem of l.problems) problems.push(problem);
    moreLine(problems, l.digest, l.problemCount - l.problems.length, 'problems');
  }
  const perLayer = new Map<Digest, number>();
  for (const a of analyzed.analyses) {
    for (const p of a.result.problems ?? []) {
      const seen = (perLayer.get(a.layer) ?? 0) + 1;
      perLayer.set(a.layer, seen);
      if (seen <= MAX_LAYER_PROBLEMS)
        problems.push({
          layer: a.layer,
          path: p.path ?? a.path,
          reason: `${a.analyzer}: ${p.reason}`,
        });
    }
  }
  for (const [layer, seen] of perLayer)
    moreLine(problems, layer, seen - MAX_LAYER_PROBLEMS, 'problems found by the analysers');
  return problems;
}

/** `… and N more <what> in this layer`, when N is positive. */
function moreLine(problems: InventoryProblem[], layer: Digest, more: number, what: string): void {
  if (more > 0) problems.push({ layer, reason: `… and ${more} more ${what} in this layer` });
}
