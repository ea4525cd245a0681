import type { ImageReference } from '../image';
import type { ImageSource } from '../image';
import { DockerArchiveSource } from './docker-archive';
import { parseSourceReference } from './local-path';
import { OciLayoutSource } from './oci-layout';
import { openRegistrySource, type RegistryOptions } from './registry-source';

/** How to reach images; only registry references use these options. */
export type SourceOptions = RegistryOptions;

/**
 * Opens the source a reference names: `oci:`, `docker-archive:`, or a registry. A typed
 * reference that is a local path without its transport is refused ({@link parseSourceReference}).
 */
export function openImageSource(
  reference: string | ImageReference,
  options: SourceOptions = {},
): ImageSource {
  const ref = typeof reference === 'string' ? parseSourceReference(reference) : reference;
  switch (ref.transport) {
    case 'oci':
      return new OciLayoutSource(ref);
    case 'docker-archive':
      return new DockerArchiveSource(ref);
    case 'docker':
      return openRegistrySource(ref, options);
  }
}
