import { DOCKER_HUB } from '../image';

/** Where Docker Hub's distribution API is served; `docker.io` itself is only a name. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The base URL of a registry's API. Loopback registries (any port) speak plain HTTP, as
 * Docker assumes; others need `plainHttp` for that.
 */
export function registryBaseUrl(registry: string, plainHttp = false): URL {
  const host = registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
  const scheme = plainHttp || isLoopbackRegistry(registry) ? 'http' : 'https';
  return new URL(`${scheme}://${host}/`);
}

/** `localhost`, `127.0.0.1` or `[::1]`, with or without a port. */
export function isLoopbackRegistry(registry: string): boolean {
  return LOOPBACK_HOSTS.has(hostnameOf(registry).toLowerCase());
}

/** The host of `host[:port]`, brackets kept for IPv6. */
export function hostnameOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(0, registry.indexOf(']') + 1);
  const colon = registry.lastIndexOf(':');
  return colon < 0 ? registry : registry.slice(0, colon);
}

/** The token scope for pulling a repository (distribution token-scope grammar). */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

/** The token scope for pushing to a repository (reading it too: a push checks what is there). */
export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}
