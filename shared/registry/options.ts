import { RegistryClient } from './client';
import { defaultCredentialProviders, type CredentialOptions } from './credentials';
import type { HttpOptions } from './http';

/** Everything a user can say about reaching a registry: CLI flags and environment. */
export interface RegistryOptions extends CredentialOptions, HttpOptions {
  /**
   * Speak plain HTTP to a registry that is not on loopback.
   * @default false - HTTPS, except for localhost, 127.0.0.1 and [::1]
   */
  readonly plainHttp?: boolean;
}

/**
 * A client for `registry` with credentials from {@link defaultCredentialProviders}: options,
 * environment, `options.credentialProviders` (ECR), then the Docker config.
 */
export function createRegistryClient(
  registry: string,
  options: RegistryOptions = {},
): RegistryClient {
  const { plainHttp, retry, timeoutMs, idleTimeoutMs } = options;
  const credentialProviders = defaultCredentialProviders(options);
  return new RegistryClient(registry, {
    plainHttp,
    retry,
    timeoutMs,
    idleTimeoutMs,
    credentialProviders,
  });
}
