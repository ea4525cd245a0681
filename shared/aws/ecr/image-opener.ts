import type { ECRClient } from '@aws-sdk/client-ecr';
import type { RegistryReference } from '../../image';
import type { ImageSource } from '../../image';
import { PipelineError } from '../../pipeline';
import type { ImageOpener } from '../../pipeline';
import type { ImageTarget } from '../../pipeline';
import { RegistryClient } from '../../registry';
import type { CredentialProvider } from '../../registry';
import type { HttpOptions } from '../../registry';
import { RegistrySource } from '../../sources';
import { ecrCredentialProvider, parseEcrHost } from './auth';

/** Options of {@link EcrImageOpener}: the ECR client is injected, as every adapter's. */
export interface EcrImageOpenerOptions {
  /**
   * The ECR client of a region, for `GetAuthorizationToken` (asked once per region).
   * @default - a client with the default AWS credential chain
   */
  readonly clientFor?: (region: string, fips: boolean) => ECRClient;
  /**
   * Clock for token expiry.
   * @default - the system clock
   */
  readonly now?: () => Date;
  /**
   * Where a registry's distribution API is reached (host[:port]). Tests put a registry on
   * 127.0.0.1 behind an ECR host name.
   * @default - the registry host itself
   */
  readonly endpointOf?: (registry: string) => string;
  /** @default - the registry client's retries and timeouts */
  readonly http?: HttpOptions;
}

/**
 * Opens images in Amazon ECR by digest, with a token from `GetAuthorizationToken` for the
 * image's registry (cached until shortly before it expires, across invocations of a warm
 * function). Other registries are refused: the cloud pipeline scans ECR only.
 */
export class EcrImageOpener implements ImageOpener {
  private readonly credentials: CredentialProvider;

  constructor(private readonly options: EcrImageOpenerOptions = {}) {
    this.credentials = ecrCredentialProvider({
      ...(options.clientFor && { clientFor: options.clientFor }),
      ...(options.now && { now: options.now }),
    });
  }

  open(image: ImageTarget): Promise<ImageSource> {
    if (parseEcrHost(image.registry) === undefined)
      return Promise.reject(
        new PipelineError(
          'MALFORMED_INPUT',
          `expected an ECR registry (<account>.dkr.ecr.<region>.amazonaws.com), got ${image.registry}`,
          'input',
        ),
      );
    const endpoint = this.options.endpointOf?.(image.registry) ?? image.registry;
    const client = new RegistryClient(endpoint, {
      ...this.options.http,
      // The token is the image's registry's, whatever host serves its API.
      credentialProviders: [() => this.credentials(image.registry)],
    });
    const ref: RegistryReference = {
      transport: 'docker',
      registry: image.registry,
      repository: image.repository,
      ...(image.tag !== undefined && { tag: image.tag }),
      digest: image.digest,
    };
    return Promise.resolve(new RegistrySource(ref, client));
  }
}
