import { parseDigest, type Digest } from '../image';
import { InvalidManifestError, ManifestTooLargeError } from '../image';
import { MAX_MANIFEST_BYTES, parseManifest, type Descriptor } from '../image';
import { MediaType } from '../image';
import type { ManifestBytes } from '../image';
import {
  describeTarget,
  RegistryNotFoundError,
  RegistryResponseError,
  type RequestTarget,
} from './errors';
import type { HttpResponse } from './response';

/** What the lookup uses of the registry client (client.ts), which offers it as `listReferrers`. */
export interface ReferrersClient {
  readonly registry: string;
  url(repository: string, kind: 'manifests' | 'blobs' | 'referrers', reference: string): URL;
  get(url: URL, target: RequestTarget, accept?: string): Promise<HttpResponse>;
  getOrNotFound(
    url: URL,
    target: RequestTarget,
    accept?: string,
  ): Promise<HttpResponse | undefined>;
  fetchManifest(repository: string, reference: string): Promise<ManifestBytes>;
}

/** Options of {@link listReferrers}. */
export interface ReferrersOptions {
  /** Keep only referrers of this artifact type. */
  readonly artifactType?: string;
}

/** Pages of one referrers listing we follow before suspecting a loop. */
export const MAX_REFERRER_PAGES = 64;
/** Tag schema limits (image-spec referrers tag schema): algorithm ≤32, hex ≤64 characters. */
const TAG_ALGORITHM_LENGTH = 32;
const TAG_HEX_LENGTH = 64;

/**
 * Referrers of `digest`: `GET /v2/<name>/referrers/<digest>` with `Link: rel="next"` pages
 * (OCI distribution spec 1.1). A registry without the API answers 404 (distribution 2.8 does);
 * then the index tagged `<alg>-<hex>` lists them; absent there too, there are none.
 */
export async function listReferrers(
  client: ReferrersClient,
  repository: string,
  digest: Digest,
  options: ReferrersOptions = {},
): Promise<Descriptor[]> {
  const target: RequestTarget = {
    registry: client.registry,
    repository,
    object: `referrers of ${digest}`,
  };
  const first = client.url(repository, 'referrers', digest);
  if (options.artifactType !== undefined)
    first.searchParams.set('artifactType', options.artifactType);
  const found: Descriptor[] = [];
  let url: URL | undefined = first;
  for (let page = 0; url !== undefined; page++) {
    if (page >= MAX_REFERRER_PAGES) {
      throw new RegistryResponseError(
        target,
        `expected at most ${MAX_REFERRER_PAGES} pages of referrers, got more`,
      );
    }
    const response =
      page === 0
        ? await client.getOrNotFound(url, target, MediaType.ociIndex)
        : await client.get(url, target, MediaType.ociIndex);
    if (response === undefined)
      return filterByType(await fromTagSchema(client, repository, digest), options.artifactType);
    const tooLarge = () => new ManifestTooLargeError(describeTarget(target), MAX_MANIFEST_BYTES);
    const bytes = await response.bytes(MAX_MANIFEST_BYTES, tooLarge);
    found.push(...indexManifests(bytes, response.headers.get('content-type'), target));
    url = nextPage(response.headers.get('link'), response.url, target);
  }
  return filterByType(found, options.artifactType);
}

/** The `<alg>-<hex>` tag under which pre-1.1 clients push an index of referrers. */
export function referrersTag(digest: Digest): string {
  const { algorithm, hex } = parseDigest(digest);
  return `${algorithm.slice(0, TAG_ALGORITHM_LENGTH)}-${hex.slice(0, TAG_HEX_LENGTH)}`;
}

async function fromTagSchema(
  client: ReferrersClient,
  repository: string,
  digest: Digest,
): Promise<Descriptor[]> {
  const tag = referrersTag(digest);
  try {
    const index = await client.fetchManifest(repository, tag);
    const target = { registry: client.registry, repository, object: `manifest ${tag}` };
    return indexManifests(index.bytes, index.mediaType, target);
  } catch (error) {
    if (error instanceof RegistryNotFoundError) return [];
    throw error;
  }
}

function indexManifests(
  bytes: Buffer,
  mediaType: string | null,
  target: RequestTarget,
): Descriptor[] {
  const what = describeTarget(target);
  const parsed = parseManifest(bytes, mediaType ?? MediaType.ociIndex, what);
  if (parsed.kind !== 'index')
    throw new InvalidManifestError(
      what,
      `expected an image index, got ${parsed.manifest.mediaType}`,
    );
  return [...parsed.index.manifests];
}

/** The `rel="next"` target of a `Link` header (RFC 8288), on the same origin as the page. */
function nextPage(link: string | null, current: URL, target: RequestTarget): URL | undefined {
  for (const match of (link ?? '').matchAll(/<([^>]*)>([^,]*)/g)) {
    if (!/;\s*rel="?next"?(\s|;|$)/i.test(match[2]!)) continue;
    const next = URL.parse(match[1]!, current.href);
    if (next === null)
      throw new RegistryResponseError(
        target,
        `expected a URL in the Link header, got "${match[1]}"`,
      );
    // The next request carries the registry's Authorization; it must not go elsewhere.
    if (next.origin !== current.origin)
      throw new RegistryResponseError(
        target,
        `expected the next page on ${current.origin}, got ${next.origin}`,
      );
    return next;
  }
  return undefined;
}

function filterByType(descriptors: Descriptor[], artifactType: string | undefined): Descriptor[] {
  return artifactType === undefined
    ? descriptors
    : descriptors.filter((d) => d.artifactType === artifactType);
}
