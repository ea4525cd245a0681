import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import type { ErrorKind } from '../../core';
import { ExpiringCache, type Expiring } from '../../registry';
import type { CredentialProvider, Credentials } from '../../registry';
import { CredentialsUnavailableError } from '../../registry';

/** Where an ECR registry lives, read from its host name. */
export interface EcrRegistry {
  readonly account: string;
  readonly region: string;
  readonly fips: boolean;
}

/** Options of {@link ecrCredentialProvider}; tests inject the client and the clock. */
export interface EcrCredentialOptions {
  /**
   * The ECR client for a region; created once per region and endpoint type.
   * @default - a client with the default AWS credential chain, FIPS endpoints for `-fips` hosts
   */
  readonly clientFor?: (region: string, fips: boolean) => ECRClient;
  /**
   * Clock for token expiry.
   * @default - the system clock
   */
  readonly now?: () => Date;
}

/** ECR tokens last 12 hours; refresh this long before `expiresAt` so none expires mid-scan. */
export const ECR_REFRESH_MARGIN_MS = 5 * 60 * 1000;

// https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html#registry_concepts
const ECR_HOST = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?(?::443)?$/i;
/** SDK errors worth retrying later: throttling and the service's own failures. */
const TRANSIENT_ERRORS = new Set([
  'ThrottlingException',
  'ServerException',
  'TimeoutError',
  'RequestTimeout',
]);

/** The account and region of an ECR registry host, or undefined for any other host. */
export function parseEcrHost(registry: string): EcrRegistry | undefined {
  const match = ECR_HOST.exec(registry);
  if (match === null) return undefined;
  return { account: match[1]!, region: match[3]!.toLowerCase(), fips: match[2] !== undefined };
}

/**
 * Credentials for Amazon ECR registries from `GetAuthorizationToken` (base64 `AWS:<password>`),
 * cached per registry until {@link ECR_REFRESH_MARGIN_MS} before they expire. Other hosts get
 * undefined, so the provider can sit in any list.
 */
export function ecrCredentialProvider(options: EcrCredentialOptions = {}): CredentialProvider {
  const clientFor = memoiseClients(options.clientFor ?? defaultClient);
  const now = options.now ?? (() => new Date());
  const cache = new ExpiringCache<Credentials>(() => now().getTime());
  return async (registry) => {
    const ecr = parseEcrHost(registry);
    if (ecr === undefined) return undefined;
    return cache.get(registry, () => fetchToken(clientFor(ecr.region, ecr.fips), registry, ecr));
  };
}

async function fetchToken(
  client: ECRClient,
  registry: string,
  ecr: EcrRegistry,
): Promise<Expiring<Credentials>> {
  let data;
  try {
    const output = await client.send(new GetAuthorizationTokenCommand({}));
    data = output.authorizationData?.[0];
  } catch (cause) {
    const { name = 'Error', message = String(cause) } = (cause ?? {}) as {
      name?: string;
      message?: string;
    };
    const detail = `GetAuthorizationToken in ${ecr.region} failed: ${name}: ${message}`;
    throw new CredentialsUnavailableError(registry, detail, kindOf(cause), { cause });
  }
  const token = data?.authorizationToken;
  const decoded = token === undefined ? '' : Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw new CredentialsUnavailableError(
      registry,
      'expected an authorization token of base64 "AWS:<password>"',
      'bug',
    );
  }
  const credentials = {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    source: 'ECR',
  };
  // Without an expiry the token is used once, not cached.
  const expiresAt =
    data?.expiresAt === undefined ? 0 : data.expiresAt.getTime() - ECR_REFRESH_MARGIN_MS;
  return { value: credentials, expiresAt };
}

function kindOf(error: unknown): ErrorKind {
  const e = error as {
    name?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode ?? 0;
  return e.$retryable !== undefined || TRANSIENT_ERRORS.has(e.name ?? '') || status >= 500
    ? 'transient'
    : 'input';
}

/**
 * ECR clients by registry region (and FIPS endpoint), each made once and kept: what a function's
 * image opener, token provider and pushers share. `wrap` instruments each new client (X-Ray).
 */
export function ecrClientsByRegion(
  wrap: (client: ECRClient) => ECRClient = (client) => client,
): (region: string, fips: boolean) => ECRClient {
  return memoiseClients((region, fips) => wrap(defaultClient(region, fips)));
}

function memoiseClients(
  create: (region: string, fips: boolean) => ECRClient,
): (region: string, fips: boolean) => ECRClient {
  const clients = new Map<string, ECRClient>();
  return (region, fips) => {
    const key = `${region}${fips ? '-fips' : ''}`;
    let client = clients.get(key);
    if (client === undefined) {
      client = create(region, fips);
      clients.set(key, client);
    }
    return client;
  };
}

function defaultClient(region: string, fips: boolean): ECRClient {
  return new ECRClient({ region, useFipsEndpoint: fips });
}
