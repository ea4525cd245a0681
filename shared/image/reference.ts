import { isDigest, type Digest } from './digest';
import { InvalidReferenceError } from './errors';

/** Where an image comes from, parsed from the reference a user typed. */
export type ImageReference = OciLayoutReference | DockerArchiveReference | RegistryReference;

/** `oci:DIR[:TAG|@DIGEST]`: an OCI image layout directory. */
export interface OciLayoutReference {
  readonly transport: 'oci';
  readonly path: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

/** `docker-archive:FILE`: a `docker save` tarball. */
export interface DockerArchiveReference {
  readonly transport: 'docker-archive';
  readonly path: string;
}

/** `docker://HOST/REPO[:TAG][@DIGEST]` or a bare reference, normalised as Docker does. */
export interface RegistryReference {
  readonly transport: 'docker';
  /** Registry host[:port], `docker.io` for Docker Hub. */
  readonly registry: string;
  /** Repository path, `library/alpine` for Docker Hub's official images. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

export const DOCKER_HUB = 'docker.io';
const LEGACY_DOCKER_HUB = 'index.docker.io';
const DEFAULT_TAG = 'latest';
/** Other transports skopeo and podman know, and any `scheme://`: named in the error, not misread as a repository. */
const OTHER_TRANSPORTS =
  /^([a-z][a-z0-9+.-]*:\/\/|(?:oci-archive|docker-daemon|containers-storage|dir|ostree|sif):)/;
const MAX_REPOSITORY_LENGTH = 255;

// distribution/reference grammar: https://github.com/distribution/reference/blob/main/regexp.go
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;

/** Parses any reference Clearance accepts; throws {@link InvalidReferenceError} naming the bad part. */
export function parseImageReference(text: string): ImageReference {
  if (text.trim() === '') throw new InvalidReferenceError(text, 'reference', 'is empty');
  if (text.startsWith('oci:')) return parseOciLayout(text);
  if (text.startsWith('docker-archive:')) {
    const path = text.slice('docker-archive:'.length);
    if (path === '') throw new InvalidReferenceError(text, 'path', 'is empty');
    return { transport: 'docker-archive', path };
  }
  if (text.startsWith('docker://'))
    return parseRegistryReference(text.slice('docker://'.length), text);
  const transport = OTHER_TRANSPORTS.exec(text);
  if (transport) {
    throw new InvalidReferenceError(
      text,
      'transport',
      `"${transport[1]}" is not one of oci:, docker-archive:, docker://`,
    );
  }
  return parseRegistryReference(text, text);
}

/** The canonical text of a reference: `docker.io/library/alpine:latest`, `oci:/dir:tag`. */
export function formatImageReference(ref: ImageReference): string {
  switch (ref.transport) {
    case 'oci':
      return `oci:${ref.path}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
    case 'docker-archive':
      return `docker-archive:${ref.path}`;
    case 'docker':
      return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
  }
}

/** Parses a registry reference with Docker's normalisation (`alpine` → `docker.io/library/alpine:latest`). */
export function parseRegistryReference(text: string, original = text): RegistryReference {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest))
      throw new InvalidReferenceError(original, 'digest', `"${digest}" is not sha256:<64 hex>`);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag))
      throw new InvalidReferenceError(
        original,
        'tag',
        `"${tag}" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`,
      );
  }
  const { registry, repository } = splitDomain(rest, original);
  if (tag === undefined && digest === undefined) tag = DEFAULT_TAG;
  return {
    transport: 'docker',
    registry,
    repository,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
  };
}

function splitDomain(name: string, original: string): { registry: string; repository: string } {
  if (name === '') throw new InvalidReferenceError(original, 'repository', 'is empty');
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasDomain = looksLikeHost(first);
  let registry = hasDomain ? first : DOCKER_HUB;
  let repository = hasDomain ? name.slice(slash + 1) : name;
  if (hasDomain && !DOMAIN.test(registry))
    throw new InvalidReferenceError(original, 'registry', `"${registry}" is not a host[:port]`);
  if (registry === LEGACY_DOCKER_HUB) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (repository.length > MAX_REPOSITORY_LENGTH) {
    throw new InvalidReferenceError(
      original,
      'repository',
      `is longer than ${MAX_REPOSITORY_LENGTH} characters`,
    );
  }
  for (const component of repository.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw new InvalidReferenceError(
        original,
        'repository',
        `component "${component}" must be lowercase letters, digits and separators [._-]`,
      );
    }
  }
  return { registry, repository };
}

/** Docker's rule: the first component is a host when it has a dot, a port, is localhost, or has capitals. */
function looksLikeHost(component: string): boolean {
  if (component === '') return false;
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost' ||
    component !== component.toLowerCase()
  );
}

function parseOciLayout(text: string): OciLayoutReference {
  let rest = text.slice('oci:'.length);
  let digest: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0 && /^sha\d+:/.test(rest.slice(at + 1))) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest))
      throw new InvalidReferenceError(text, 'digest', `"${digest}" is not sha256:<64 hex>`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === '') throw new InvalidReferenceError(text, 'tag', 'is empty');
  }
  if (rest === '') throw new InvalidReferenceError(text, 'path', 'is empty');
  return {
    transport: 'oci',
    path: rest,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
  };
}
