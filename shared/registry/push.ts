import type { Digest } from '../image';
import type { RegistryClient } from './client';
import { RegistryResponseError, type RequestTarget } from './errors';

/*
 * The push side of the distribution API that artifacts need (distribution spec v1.1, "Push"):
 * monolithic blob uploads and manifest PUTs, authorized as reads are (scope `pull,push`).
 */

/**
 * Uploads a blob monolithically ("POST then PUT"): POST an upload session, then PUT the bytes to
 * its `Location` with `?digest=`. A blob the repository has already is not sent again.
 */
export async function pushBlob(
  client: RegistryClient,
  repository: string,
  blob: { readonly digest: Digest; readonly bytes: Buffer },
): Promise<void> {
  const target: RequestTarget = {
    registry: client.registry,
    repository,
    object: `blob ${blob.digest}`,
  };
  if (await hasBlob(client, repository, blob.digest, target)) return;
  const url = new URL(`v2/${repository}/blobs/uploads/`, client.baseUrl);
  const start = await client.write({ method: 'POST', url, target }, [202]);
  await start.discard();
  const upload = uploadUrl(client, start.headers.get('location'), target);
  upload.searchParams.set('digest', blob.digest);
  const put = await client.write(
    {
      method: 'PUT',
      url: upload,
      target,
      body: blob.bytes,
      contentType: 'application/octet-stream',
    },
    [201],
  );
  await put.discard();
}

/**
 * PUTs manifest bytes, exactly as given, under a tag or digest. `subject` is the registry's
 * `OCI-Subject` answer, set when it processed the manifest's `subject` ("Pushing Manifests with
 * Subject": a registry with the referrers API MUST answer it).
 */
export async function pushManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
  manifest: { readonly mediaType: string; readonly bytes: Buffer },
): Promise<{ readonly subject: string | undefined }> {
  const target: RequestTarget = {
    registry: client.registry,
    repository,
    object: `manifest ${reference}`,
  };
  const url = client.url(repository, 'manifests', reference);
  const response = await client.write(
    { method: 'PUT', url, target, body: manifest.bytes, contentType: manifest.mediaType },
    [201],
  );
  await response.discard();
  return { subject: response.headers.get('oci-subject') ?? undefined };
}

/** Whether the repository has the blob: a GET whose body is dropped (ours are a few KiB). */
async function hasBlob(
  client: RegistryClient,
  repository: string,
  digest: Digest,
  target: RequestTarget,
): Promise<boolean> {
  const response = await client.getOrNotFound(client.url(repository, 'blobs', digest), target);
  await response?.discard();
  return response !== undefined;
}

/** The upload session's URL from `Location`, on the registry's own origin (it gets our credentials). */
function uploadUrl(client: RegistryClient, location: string | null, target: RequestTarget): URL {
  const url = location === null ? null : URL.parse(location, client.baseUrl.href);
  if (url === null)
    throw new RegistryResponseError(
      target,
      'expected a Location header with the upload URL, got none',
    );
  if (url.origin !== client.baseUrl.origin)
    throw new RegistryResponseError(
      target,
      `expected the upload on ${client.baseUrl.origin}, got ${url.origin}`,
    );
  return url;
}
