import type { Readable } from 'node:stream';
import { isDigest, parseDigest, sha256Digest, verified, verifyBytes, type Digest } from '../image';
import { InvalidReferenceError, ManifestTooLargeError, SizeMismatchError } from '../image';
import { isObject } from '../core';
import { MAX_MANIFEST_BYTES, type Descriptor } from '../image';
import { MANIFEST_MEDIA_TYPES } from '../image';
import type { ManifestBytes } from '../image';
import { Authenticator } from './auth';
import type { CredentialProvider } from './credentials';
import { registryBaseUrl } from './endpoint';
import { describeTarget, RegistryResponseError, type RequestTarget } from './errors';
import { HttpClient, type HttpOptions } from './http';
import { listReferrers, type ReferrersOptions } from './referrers';
import type { HttpResponse } from './response';
import { RegistrySession, type WriteRequest } from './session';

/** How a {@link RegistryClient} reaches one registry. */
export interface RegistryClientOptions extends HttpOptions {
  /**
   * Speak plain HTTP to a registry that is not on loopback.
   * @default false - HTTPS, except for localhost, 127.0.0.1 and [::1]
   */
  readonly plainHttp?: boolean;
  /**
   * Asked in order for credentials; the first answer wins.
   * @default - none: anonymous access only
   */
  readonly credentialProviders?: readonly CredentialProvider[];
  /**
   * Clock for token expiry, in milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** What a descriptor promises about content fetched by digest. */
export interface ExpectedContent {
  readonly digest: Digest;
  readonly size?: number;
  readonly mediaType?: string;
}

const TAG = /^[\w][\w.-]{0,127}$/;

/** A client of the OCI distribution API for one registry: pulls, and the pushes of artifacts. */
export class RegistryClient {
  readonly baseUrl: URL;
  private readonly session: RegistrySession;

  constructor(
    /** host[:port] as in the reference, `docker.io` for Docker Hub. */
    readonly registry: string,
    options: RegistryClientOptions = {},
  ) {
    this.baseUrl = registryBaseUrl(registry, options.plainHttp);
    const http = new HttpClient(options);
    const auth = new Authenticator(http, options.credentialProviders ?? [], options.now);
    this.session = new RegistrySession(http, auth);
  }

  /**
   * A manifest or index by tag or digest, its bytes checked against the digest asked for (by
   * digest), else `Docker-Content-Digest` (by tag). Refuses more than {@link MAX_MANIFEST_BYTES}.
   */
  async fetchManifest(
    repository: string,
    reference: string,
    expected?: ExpectedContent,
  ): Promise<ManifestBytes> {
    const target: RequestTarget = {
      registry: this.registry,
      repository,
      object: `manifest ${reference}`,
    };
    const what = describeTarget(target);
    if (expected?.size !== undefined && expected.size > MAX_MANIFEST_BYTES) {
      throw new ManifestTooLargeError(what, MAX_MANIFEST_BYTES);
    }
    const accept = MANIFEST_MEDIA_TYPES.join(', ');
    const response = await this.get(this.url(repository, 'manifests', reference), target, accept);
    const bytes = await response.bytes(
      MAX_MANIFEST_BYTES,
      () => new ManifestTooLargeError(what, MAX_MANIFEST_BYTES),
    );
    const digest = checkDigest(bytes, reference, expected?.digest, response, target);
    if (expected?.size !== undefined && bytes.length !== expected.size) {
      throw new SizeMismatchError(expected.size, bytes.length, what);
    }
    const mediaType = mediaTypeOf(bytes, response.headers.get('content-type'), expected?.mediaType);
    return { digest, mediaType, bytes };
  }

  /** A blob as a stream that fails with `DigestMismatchError`/`SizeMismatchError` at its end. */
  async openBlob(repository: string, descriptor: Descriptor): Promise<Readable> {
    const target: RequestTarget = {
      registry: this.registry,
      repository,
      object: `blob ${descriptor.digest}`,
    };
    parseDigest(descriptor.digest);
    const response = await this.get(this.url(repository, 'blobs', descriptor.digest), target);
    return verified(response.body(), {
      digest: descriptor.digest,
      size: descriptor.size,
      what: describeTarget(target),
    });
  }

  /**
   * Manifests whose `subject` is `digest`: the OCI 1.1 referrers API, else the
   * `sha256-<hex>` tag schema; `[]` when neither has any.
   */
  listReferrers(
    repository: string,
    digest: Digest,
    options: ReferrersOptions = {},
  ): Promise<Descriptor[]> {
    return listReferrers(this, repository, digest, options);
  }

  /** `<base>/v2/<repository>/<kind>/<reference>`, the reference checked to be a tag or digest. */
  url(repository: string, kind: 'manifests' | 'blobs' | 'referrers', reference: string): URL {
    if (!isDigest(reference) && !(kind === 'manifests' && TAG.test(reference))) {
      throw new InvalidReferenceError(
        reference,
        'reference',
        `is not a ${kind === 'manifests' ? 'tag or ' : ''}digest`,
      );
    }
    return new URL(`v2/${repository}/${kind}/${reference}`, this.baseUrl);
  }

  /** GET with authorization; the 200 response, else the typed error its status means. */
  get(url: URL, target: RequestTarget, accept?: string): Promise<HttpResponse> {
    return this.session.get(url, target, accept);
  }

  /** A POST or PUT with push authorization; the response if its status is `expected`, else the typed error. */
  write(request: WriteRequest, expected: readonly number[]): Promise<HttpResponse> {
    return this.session.write(request, expected);
  }

  /** As {@link get}, but undefined on 404 (used where absence is an answer). */
  getOrNotFound(
    url: URL,
    target: RequestTarget,
    accept?: string,
  ): Promise<HttpResponse | undefined> {
    return this.session.getOrNotFound(url, target, accept);
  }
}

function checkDigest(
  bytes: Buffer,
  reference: string,
  expected: Digest | undefined,
  response: HttpResponse,
  target: RequestTarget,
): Digest {
  const wanted = expected ?? (isDigest(reference) ? reference : undefined);
  if (wanted !== undefined) {
    verifyBytes(bytes, wanted, describeTarget(target));
    return wanted;
  }
  const header = response.headers.get('docker-content-digest');
  if (header === null) return sha256Digest(bytes);
  if (!isDigest(header))
    throw new RegistryResponseError(target, `Docker-Content-Digest "${header}" is not a digest`);
  verifyBytes(bytes, header, `${describeTarget(target)} (Docker-Content-Digest)`);
  return header;
}

/** The document's own `mediaType`, else the `Content-Type`, else the descriptor's. */
function mediaTypeOf(
  bytes: Buffer,
  contentType: string | null,
  fallback: string | undefined,
): string {
  try {
    const doc: unknown = JSON.parse(bytes.toString('utf8'));
    if (isObject(doc) && typeof doc.mediaType === 'string') return doc.mediaType;
  } catch {
    // Not JSON: parseManifest reports that with context; the media type is all we want here.
  }
  const header = contentType?.split(';')[0]?.trim();
  return header !== undefined && header !== '' ? header : (fallback ?? '');
}
