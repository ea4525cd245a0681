import type { ImageTarget } from './states';

/** Hex characters of a digest that name an image in tags and messages (as `docker images` shows). */
export const SHORT_DIGEST_LENGTH = 12;

/** The hex part of `sha256:<hex>`. */
export function digestHex(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

/** The first twelve hex characters of a digest: `{digest12}` in tag patterns. */
export function digest12(digest: string): string {
  return digestHex(digest).slice(0, SHORT_DIGEST_LENGTH);
}

/** How people name the image: `payments/api:1.4.2`, or `payments/api@sha256:0123456789ab` untagged. */
export function imageName(image: Pick<ImageTarget, 'repository' | 'digest' | 'tag'>): string {
  return image.tag === undefined
    ? `${image.repository}@sha256:${digest12(image.digest)}`
    : `${image.repository}:${image.tag}`;
}

/**
 * The full reference of the exact image: `<registry>/<repository>@<digest>`; for the local
 * transports of `clearance pipeline run`, the layout or archive itself (`oci:DIR@<digest>`).
 */
export function imageReference(image: ImageTarget): string {
  if (image.registry.startsWith('oci:')) return `${image.registry}@${image.digest}`;
  if (image.registry.startsWith('docker-archive:')) return image.registry;
  return `${image.registry}/${image.repository}@${image.digest}`;
}
