import { join } from 'node:path';
import { createRegistryClient } from '../registry';
import { openImageSource, type SourceOptions } from '../sources';
import { PipelineError } from '../pipeline';
import type { RegistryWriter } from '../pipeline';
import type { ImageTarget } from '../pipeline';
import { localReference } from './image-opener';
import { copyToLayout } from './layout-copy';
import { copyInRegistry } from './registry-copy';

/** Under the state directory: an OCI layout per repository a local image is tagged in. */
export const LOCAL_REGISTRY = 'registry';

export interface LocalRegistryOptions {
  /** `.clearance/pipeline`: the layouts are in its `registry/`. */
  readonly stateDir: string;
  /** How to reach a registry (credentials, plain HTTP). */
  readonly sourceOptions?: SourceOptions;
  /**
   * Tag an `oci:` image in its own layout when the tag is for its own repository (a quarantine).
   * @default false - into the state directory: the input is not changed
   */
  readonly attachToLayout?: boolean;
}

/** Where a repository's tag is: `oci:DIR` for a local image's, else the registry's. */
type Destination = { readonly layout: string } | { readonly registry: string };

/**
 * The RegistryWriter of `clearance pipeline run`: what Promote and a `tag` quarantine write, as
 * the cloud's ECR writer does, to local stand-ins. An image in a registry (one on 127.0.0.1) is
 * tagged there through the distribution API. A local image (`oci:`, `docker-archive:`) has no
 * registry: each repository is an OCI layout under the state directory's `registry/`, into
 * which the image is copied and tagged, so that the input stays as it was (as its signed verdict
 * goes to the state directory); with `attachToLayout` an `oci:` image's own repository is its
 * layout, where a quarantine tag then lands beside its other tags.
 */
export class LocalRegistryWriter implements RegistryWriter {
  constructor(private readonly options: LocalRegistryOptions) {}

  async copy(from: ImageTarget, to: { repository: string; tag: string }): Promise<void> {
    const destination = destinationOf(from, to.repository, this.options);
    if ('registry' in destination) {
      const client = createRegistryClient(from.registry, this.options.sourceOptions);
      return copyInRegistry(client, from, to);
    }
    const source = openImageSource(localReference(from), this.options.sourceOptions);
    try {
      const root = await source.resolveRoot();
      if (root.digest !== from.digest)
        throw new PipelineError(
          'IMAGE_NOT_FOUND',
          `expected ${from.digest} in ${source.reference}, got ${root.digest}: the image changed since it was scanned`,
          'input',
        );
      await copyToLayout(source, root, { dir: destination.layout, tag: to.tag });
    } finally {
      await source.close();
    }
  }
}

/**
 * Where the copy of `from` to `to` is, as a reference to scan or inspect: `oci:DIR:TAG` for a
 * local image, `HOST/REPOSITORY:TAG` in a registry.
 */
export function localCopyReference(
  from: ImageTarget,
  to: { readonly repository: string; readonly tag: string },
  options: LocalRegistryOptions,
): string {
  const destination = destinationOf(from, to.repository, options);
  return 'registry' in destination
    ? `${destination.registry}/${to.repository}:${to.tag}`
    : `oci:${destination.layout}:${to.tag}`;
}

const OCI = 'oci:';
const DOCKER_ARCHIVE = 'docker-archive:';
/** A path segment of a repository name (the distribution spec's, letters of either case). */
const SEGMENT = /^[A-Za-z0-9]+(?:(?:[._]|__|-+)[A-Za-z0-9]+)*$/;

function destinationOf(
  from: ImageTarget,
  repository: string,
  options: LocalRegistryOptions,
): Destination {
  const ownLayout = from.registry.startsWith(OCI) && options.attachToLayout === true;
  if (ownLayout && repository === from.repository)
    return { layout: from.registry.slice(OCI.length) };
  if (!from.registry.startsWith(OCI) && !from.registry.startsWith(DOCKER_ARCHIVE))
    return { registry: from.registry };
  const segments = repository.split('/');
  if (!segments.every((segment) => SEGMENT.test(segment)))
    throw new PipelineError(
      'MISCONFIGURED',
      `expected a repository name such as team/app to tag a local image in, got ${JSON.stringify(repository)}`,
      'input',
    );
  return { layout: join(options.stateDir, LOCAL_REGISTRY, ...segments) };
}
