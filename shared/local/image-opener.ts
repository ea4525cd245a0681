import { basename } from 'node:path';
import type { ImageReference } from '../image';
import type { ImageSource } from '../image';
import { openImageSource, parseSourceReference, type SourceOptions } from '../sources';
import type { ImageOpener } from '../pipeline';
import type { ImageTarget } from '../pipeline';

const OCI = 'oci:';
const DOCKER_ARCHIVE = 'docker-archive:';

/**
 * Opens the images of `clearance pipeline run` and of the tests: an `ImageTarget` whose
 * registry is `oci:DIR` (an OCI layout), `docker-archive:FILE`, or a registry host (one on
 * 127.0.0.1, say), always by its digest where the transport can name one.
 */
export class LocalImageOpener implements ImageOpener {
  /** @param options how to reach registries (credentials, plain HTTP) */
  constructor(private readonly options: SourceOptions = {}) {}

  open(image: ImageTarget): Promise<ImageSource> {
    return Promise.resolve(openImageSource(localReference(image), this.options));
  }
}

/**
 * The reference a local target names: `oci:DIR[:TAG]@DIGEST`, `docker-archive:FILE` (which
 * holds one image: Resolve checks that its digest is the target's), or
 * `HOST/REPOSITORY[:TAG]@DIGEST`. The tag is kept so that policies matching tags see it.
 */
export function localReference(image: ImageTarget): ImageReference {
  const tag = image.tag === undefined ? {} : { tag: image.tag };
  if (image.registry.startsWith(OCI))
    return {
      transport: 'oci',
      path: image.registry.slice(OCI.length),
      ...tag,
      digest: image.digest,
    };
  if (image.registry.startsWith(DOCKER_ARCHIVE))
    return { transport: 'docker-archive', path: image.registry.slice(DOCKER_ARCHIVE.length) };
  return {
    transport: 'docker',
    registry: image.registry,
    repository: image.repository,
    ...tag,
    digest: image.digest,
  };
}

/**
 * The target of a reference the user typed (`oci:DIR:TAG`, `docker-archive:FILE`,
 * `127.0.0.1:5000/team/app:1.0`): its root read once for the digest, since a scan is about a
 * digest, never a tag. An OCI layout or an archive is named after its file, without extension.
 */
export async function localImageTarget(
  reference: string,
  options: SourceOptions = {},
): Promise<ImageTarget> {
  const ref = parseSourceReference(reference);
  const source = openImageSource(ref, options);
  let digest: string;
  try {
    digest = (await source.resolveRoot()).digest;
  } finally {
    await source.close();
  }
  switch (ref.transport) {
    case 'oci':
      return {
        registry: `${OCI}${ref.path}`,
        repository: nameOf(ref.path),
        digest,
        ...(ref.tag !== undefined && { tag: ref.tag }),
      };
    case 'docker-archive':
      return { registry: `${DOCKER_ARCHIVE}${ref.path}`, repository: nameOf(ref.path), digest };
    case 'docker':
      return {
        registry: ref.registry,
        repository: ref.repository,
        digest,
        ...(ref.tag !== undefined && { tag: ref.tag }),
      };
  }
}

/** `demo-image` of `/x/demo-image` or `/x/demo-image.tar`. */
function nameOf(path: string): string {
  const name = basename(path.replace(/\/+$/, '')).replace(/\.[^.]*$/, '');
  return name === '' ? 'image' : name;
}
