import type { ManifestBytes } from '../image';
import type { RegistryClient } from '../registry';
import { RegistryNotFoundError } from '../registry';
import { pushBlob, pushManifest } from '../registry';
import type { Blob } from './artifact';
import type { ArtifactPusher } from './attach';

/** The ArtifactPusher of an OCI distribution registry, over its HTTP API (with its auth). */
export class RegistryArtifactPusher implements ArtifactPusher {
  constructor(private readonly client: RegistryClient) {}

  pushBlob(repository: string, blob: Blob): Promise<void> {
    return pushBlob(this.client, repository, blob);
  }

  /** The subject counts as indexed only when the registry says so (`OCI-Subject`). */
  async pushManifest(
    repository: string,
    manifest: ManifestBytes,
    reference: string,
  ): Promise<{ subjectIndexed: boolean }> {
    const { subject } = await pushManifest(this.client, repository, reference, manifest);
    return { subjectIndexed: subject !== undefined };
  }

  async manifestByTag(repository: string, tag: string): Promise<ManifestBytes | undefined> {
    try {
      return await this.client.fetchManifest(repository, tag);
    } catch (error) {
      if (error instanceof RegistryNotFoundError) return undefined;
      throw error;
    }
  }
}
