/**
 * Pushes images built by ./image-builder.ts into a registry over plain HTTP with the
 * distribution push API: monolithic blob uploads, then manifests (children before their index).
 * Bytes are pushed exactly as built, never re-serialised, so digests hold.
 */
import { sha256Digest, type Digest } from '../../shared/image/digest';
import type { Descriptor } from '../../shared/image/manifest';
import type { BuiltRoot } from './image-builder';

export interface PushCredentials {
  readonly username: string;
  readonly password: string;
}

/** Pushes `root` (an image or an index with its children) and tags it `tag`. */
export async function pushImage(
  host: string,
  repository: string,
  tag: string,
  root: BuiltRoot,
  credentials?: PushCredentials,
): Promise<void> {
  const children = root.kind === 'index' ? childManifests(root.index) : [];
  const manifestDigests = new Set(children.map((d) => d.digest));
  for (const [digest, bytes] of root.blobs) {
    if (!manifestDigests.has(digest)) await pushBlob(host, repository, bytes, credentials);
  }
  for (const child of children) {
    const bytes = root.blobs.get(child.digest);
    if (bytes === undefined)
      throw new Error(`the index lists ${child.digest}, which the fixture does not hold`);
    await pushManifest(host, repository, child.digest, bytes, child.mediaType, credentials);
  }
  const bytes = root.kind === 'index' ? root.index : root.manifest;
  await pushManifest(host, repository, tag, bytes, root.descriptor.mediaType, credentials);
}

/** Uploads one blob (POST an upload session, PUT its bytes with the digest). */
export async function pushBlob(
  host: string,
  repository: string,
  bytes: Buffer,
  credentials?: PushCredentials,
): Promise<Digest> {
  const digest = sha256Digest(bytes);
  const start = await send('POST', `http://${host}/v2/${repository}/blobs/uploads/`, credentials);
  await expectStatus(start, 202, `starting the upload of ${digest}`);
  const location = start.headers.get('location');
  if (location === null) throw new Error(`upload of ${digest}: no Location header`);
  const url = new URL(location, `http://${host}/`);
  url.searchParams.set('digest', digest);
  const put = await send('PUT', url.href, credentials, bytes, 'application/octet-stream');
  await expectStatus(put, 201, `uploading ${digest}`);
  return digest;
}

/** PUTs manifest bytes under a tag or digest, with their media type as Content-Type. */
export async function pushManifest(
  host: string,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
  credentials?: PushCredentials,
): Promise<void> {
  const url = `http://${host}/v2/${repository}/manifests/${reference}`;
  const response = await send('PUT', url, credentials, bytes, mediaType);
  await expectStatus(response, 201, `pushing manifest ${reference} of ${repository}`);
}

function childManifests(index: Buffer): Descriptor[] {
  return (JSON.parse(index.toString('utf8')) as { manifests: Descriptor[] }).manifests;
}

async function send(
  method: string,
  url: string,
  credentials: PushCredentials | undefined,
  body?: Buffer,
  contentType?: string,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (credentials !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  return fetch(url, { method, headers, ...(body !== undefined && { body }) });
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  const text = await response.text();
  if (response.status !== status)
    throw new Error(`${what}: expected HTTP ${status}, got ${response.status}: ${text}`);
}
