import { listingsOf, type AnalyzedImage } from '../analyzers';
import type { PlatformImage } from '../image';
import { parseImageReference } from '../image';
import type { Inventory } from '../inventory';
import type { FileTree } from '../layers';
import type { SecretFinding } from '../secrets';
import type { CheckContext } from './check';
import { instructionsOf } from './history';

/** What the checks see of one scanned platform image. */
export function checkContext(input: {
  readonly reference: string;
  readonly image: PlatformImage;
  readonly analyzed: AnalyzedImage;
  readonly inventory: Inventory;
  /** The final filesystem, merged once for the inventory and the checks. */
  readonly files: FileTree;
  readonly secrets?: readonly SecretFinding[];
}): CheckContext {
  const { image, analyzed } = input;
  const listings = listingsOf(analyzed);
  return {
    reference: parseImageReference(input.reference),
    config: image.config,
    instructions: instructionsOf(image.config),
    annotations: { ...image.config.config?.Labels, ...image.manifest.annotations },
    os: input.inventory.os,
    files: input.files,
    layers: listings.map((l) => ({
      compressedBytes: l.compressedBytes,
      uncompressedBytes: l.uncompressedBytes,
    })),
    ...(input.secrets && { secrets: input.secrets }),
  };
}
