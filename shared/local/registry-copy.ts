import { parseManifest, type Descriptor } from '../image';
import type { ManifestBytes } from '../image';
import type { RegistryClient } from '../registry';
import type { RequestTarget } from '../registry';
import { pushBlob, pushManifest } from '../registry';
import { PipelineError } from '../pipeline';
import type { ImageTarget } from '../pipeline';
import { copiedBlobs } from './layout-copy';

/*
 * A registry's tag through the OCI distribution API (spec v1.1, "Push"), what Promote and a
 * `tag` quarantine do to an image in a registry a local run reaches (one on 127.0.0.1, say):
 * the manifest's exact bytes PUT under the tag. Into another repository, its blobs are mounted
 * from the image's repository first (`POST …/blobs/uploads/?mount=&from=`), and an index's
 * manifests put there by digest, so that the tag never names what the repository lacks.
 */

/** A blob the registry would not mount is uploaded whole: up to this size. */
export const MAX_UPLOADED_BLOB_BYTES = 256 * 1024 * 1024;
const CREATED = 201;
const ACCEPTED = 202;

/** Tags `from` as `to.repository:to.tag` in the registry `client` talks to. */
export async function copyInRegistry(
  client: RegistryClient,
  from: ImageTarget,
  to: { readonly repository: string; readonly tag: string },
): Promise<void> {
  const root = await client.fetchManifest(from.repository, from.digest);
  if (to.repository !== from.repository)
    await copyParts(client, root, { from: from.repository, to: to.repository });
  await pushManifest(client, to.repository, to.tag, root);
}

interface Repositories {
  readonly from: string;
  readonly to: string;
}

/** What `manifest` names, into `to`: an index's manifests (by digest), an image's blobs. */
async function copyParts(
  client: RegistryClient,
  manifest: ManifestBytes,
  repositories: Repositories,
): Promise<void> {
  const parsed = parseManifest(manifest.bytes, manifest.mediaType, `manifest ${manifest.digest}`);
  if (parsed.kind === 'manifest') {
    for (const blob of copiedBlobs(parsed.manifest)) await copyBlob(client, blob, repositories);
    return;
  }
  for (const child of parsed.index.manifests) {
    const bytes = await client.fetchManifest(repositories.from, child.digest, child);
    await copyParts(client, bytes, repositories);
    await pushManifest(client, repositories.to, child.digest, bytes);
  }
}

/** Mounts the blob from the image's repository; uploads it when the registry would not. */
async function copyBlob(
  client: RegistryClient,
  blob: Descriptor,
  { from, to }: Repositories,
): Promise<void> {
  const target: RequestTarget = {
    registry: client.registry,
    repository: to,
    object: `blob ${blob.digest}`,
  };
  const url = new URL(`v2/${to}/blobs/uploads/`, client.baseUrl);
  url.searchParams.set('mount', blob.digest);
  url.searchParams.set('from', from);
  const mounted = await client.write({ method: 'POST', url, target }, [CREATED, ACCEPTED]);
  await mounted.discard();
  if (mounted.status === CREATED) return;
  // 202: the registry opened an upload session instead (no mount across these repositories).
  if (blob.size > MAX_UPLOADED_BLOB_BYTES)
    throw new PipelineError(
      'MISCONFIGURED',
      `${client.registry} did not mount blob ${blob.digest} from ${from} into ${to}, and at ${blob.size} bytes it is over the ${MAX_UPLOADED_BLOB_BYTES} a local run uploads`,
      'input',
    );
  await pushBlob(client, to, { digest: blob.digest, bytes: await readAll(client, from, blob) });
}

async function readAll(
  client: RegistryClient,
  repository: string,
  blob: Descriptor,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await client.openBlob(repository, blob)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
