/**
 * A real registry with the OCI 1.1 referrers API in front: Debian's docker-registry (2.8) has
 * none, so this 127.0.0.1 proxy forwards every request to it and adds what a 1.1 registry does:
 * `OCI-Subject` on the PUT of a manifest with a `subject`, and `GET /v2/<name>/referrers/<digest>`
 * answered from the manifests seen pushed (distribution spec v1.1, "Listing Referrers").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sha256Digest } from '../../shared/image/digest';
import { startServer, type RunningServer } from './registry-server';

const MANIFEST_PUT = /^\/v2\/(.+)\/manifests\/[^/]+$/;
const REFERRERS = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})$/;

interface Referrer {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Record<string, string>;
}

/** Starts the proxy in front of `registry` (host:port). */
export async function startReferrersProxy(registry: string): Promise<RunningServer> {
  const referrers = new Map<string, Referrer[]>();
  let origin = '';
  const server = await startServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://proxy');
    const listing = REFERRERS.exec(url.pathname);
    if (request.method === 'GET' && listing !== null) {
      const all = referrers.get(`${listing[1]}@${listing[2]}`) ?? [];
      const type = url.searchParams.get('artifactType');
      const manifests = type === null ? all : all.filter((r) => r.artifactType === type);
      response.setHeader('content-type', 'application/vnd.oci.image.index.v1+json');
      if (type !== null) response.setHeader('oci-filters-applied', 'artifactType');
      response.end(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests,
        }),
      );
      return;
    }
    const body = await bodyOf(request);
    const forwarded = await fetch(`http://${registry}${url.pathname}${url.search}`, {
      method: request.method,
      headers: forwardedHeaders(request),
      ...(body.length > 0 && { body }),
      redirect: 'manual',
    });
    const subject =
      request.method === 'PUT' && forwarded.status === 201
        ? record(referrers, url, request, body)
        : undefined;
    await relay(forwarded, response, registry, origin, subject);
  });
  origin = server.url;
  return server;
}

function record(
  referrers: Map<string, Referrer[]>,
  url: URL,
  request: IncomingMessage,
  body: Buffer,
): string | undefined {
  const put = MANIFEST_PUT.exec(url.pathname);
  if (put === null) return undefined;
  const doc = JSON.parse(body.toString('utf8')) as {
    subject?: { digest: string };
    artifactType?: string;
    config?: { mediaType: string };
    annotations?: Record<string, string>;
  };
  if (doc.subject === undefined) return undefined;
  const key = `${put[1]}@${doc.subject.digest}`;
  const digest = sha256Digest(body);
  const listed = referrers.get(key) ?? [];
  if (!listed.some((r) => r.digest === digest))
    listed.push({
      mediaType: request.headers['content-type'] ?? '',
      digest,
      size: body.length,
      artifactType: doc.artifactType ?? doc.config?.mediaType,
      ...(doc.annotations !== undefined && { annotations: doc.annotations }),
    });
  referrers.set(key, listed);
  return doc.subject.digest;
}

async function relay(
  forwarded: Response,
  response: ServerResponse,
  registry: string,
  origin: string,
  subject: string | undefined,
): Promise<void> {
  response.statusCode = forwarded.status;
  forwarded.headers.forEach((value, name) => {
    if (name === 'content-length' || name === 'transfer-encoding' || name === 'connection') return;
    // Upload locations name the registry; the client must come back through the proxy.
    response.setHeader(
      name,
      name === 'location' ? value.replace(`http://${registry}`, origin) : value,
    );
  });
  if (subject !== undefined) response.setHeader('oci-subject', subject);
  response.end(Buffer.from(await forwarded.arrayBuffer()));
}

function forwardedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (typeof value === 'string' && name !== 'host' && name !== 'connection')
      headers[name] = value;
  return headers;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
