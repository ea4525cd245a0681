import type { AnalyzedImage } from '../analyzers';
import type { FileTree } from '../layers';
import type { GoBinary } from '../match';

/**
 * The Go binaries of the final filesystem (a binary a later layer replaced or deleted is not
 * one), each with what the Go analyser found of it, in path order.
 */
export function goBinariesOf(analyzed: AnalyzedImage, tree: FileTree): GoBinary[] {
  return analyzed.analyses
    .flatMap((a) =>
      a.result.goBinary !== undefined && tree.get(a.path)?.layer === a.layer
        ? [{ path: a.path, layer: a.layer, ...a.result.goBinary }]
        : [],
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
