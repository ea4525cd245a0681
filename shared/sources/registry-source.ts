import type { Readable } from 'node:stream';
import type { Digest } from '../image';
import type { Descriptor } from '../image';
import { formatImageReference, type RegistryReference } from '../image';
import type { ImageSource, ManifestBytes } from '../image';
import type { RegistryClient } from '../registry';
import { createRegistryClient, type RegistryOptions } from '../registry';
import { RegistryNotFoundError } from '../registry';
import type { ReferrersOptions } from '../registry';

export type { RegistryOptions } from '../registry';

/** Docker's default when a reference names neither tag nor digest. */
const DEFAULT_TAG = 'latest';

/** An image in an OCI distribution registry, read over its HTTP API. */
export class RegistrySource implements ImageSource {
  readonly reference: string;

  constructor(
    private readonly ref: RegistryReference,
    private readonly client: RegistryClient,
  ) {
    this.reference = formatImageReference(ref);
  }

  /** The manifest or index the reference names: by digest when it has one, else by tag. */
  resolveRoot(): Promise<ManifestBytes> {
    return this.client.fetchManifest(
      this.ref.repository,
      this.ref.digest ?? this.ref.tag ?? DEFAULT_TAG,
    );
  }

  fetchManifest(descriptor: Descriptor): Promise<ManifestBytes> {
    return this.client.fetchManifest(this.ref.repository, descriptor.digest, descriptor);
  }

  openBlob(descriptor: Descriptor): Promise<Readable> {
    return this.client.openBlob(this.ref.repository, descriptor);
  }

  /** The manifest a tag names in this repository, or undefined when the tag does not exist. */
  async manifestByTag(tag: string): Promise<ManifestBytes | undefined> {
    try {
      return await this.client.fetchManifest(this.ref.repository, tag);
    } catch (error) {
      if (error instanceof RegistryNotFoundError) return undefined;
      throw error;
    }
  }

  /** Artifacts (signatures, SBOMs, attestations) whose subject is `digest`. */
  listReferrers(digest: Digest, options?: ReferrersOptions): Promise<Descriptor[]> {
    return this.client.listReferrers(this.ref.repository, digest, options);
  }

  /** Nothing to release: `fetch` pools and closes its own connections. */
  async close(): Promise<void> {}
}

/**
 * Opens an image in a registry. Credentials come from `options.username`/`password`, the
 * `CLEARANCE_REGISTRY_*` environment, `options.credentialProviders` (e.g. ECR), then the
 * Docker config. Throws `InvalidCredentialsConfigError` at once when half a pair is given.
 */
export function openRegistrySource(
  ref: RegistryReference,
  options: RegistryOptions = {},
): RegistrySource {
  return new RegistrySource(ref, createRegistryClient(ref.registry, options));
}
