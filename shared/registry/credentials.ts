import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { firstIssue } from '../core';
import { DOCKER_HUB } from '../image';
import { InvalidCredentialsConfigError } from './errors';

/** A username and password (or an ECR token) for one registry. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** Where they came from, for messages: `options`, `environment`, a config file, `ECR`. */
  readonly source: string;
}

/**
 * One place credentials may come from. Answers undefined when it has none for `registry`
 * (host[:port] as in the reference, `docker.io` for Docker Hub).
 */
export type CredentialProvider = (registry: string) => Promise<Credentials | undefined>;

/** Where a registry client looks for credentials. */
export interface CredentialOptions {
  /** With `password`, used for every registry; wins over every other source. */
  readonly username?: string;
  readonly password?: string;
  /**
   * Read for `CLEARANCE_REGISTRY_USERNAME`/`_PASSWORD`, `DOCKER_CONFIG` and `HOME`.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * A Docker `config.json`.
   * @default $DOCKER_CONFIG/config.json, else ~/.docker/config.json
   */
  readonly dockerConfigPath?: string;
  /** More providers (ECR), asked after options and environment and before the Docker config. */
  readonly credentialProviders?: readonly CredentialProvider[];
}

/** Environment variables holding registry credentials for every registry. */
export const ENV_USERNAME = 'CLEARANCE_REGISTRY_USERNAME';
export const ENV_PASSWORD = 'CLEARANCE_REGISTRY_PASSWORD';
/** The key `docker login` writes for Docker Hub. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

/** Options, then environment, then extra providers, then the Docker config; the first answer wins. */
export function defaultCredentialProviders(options: CredentialOptions = {}): CredentialProvider[] {
  const env = options.env ?? process.env;
  const providers: CredentialProvider[] = [];
  if (options.username !== undefined || options.password !== undefined) {
    providers.push(staticCredentials(options.username, options.password));
  }
  providers.push(environmentCredentials(env), ...(options.credentialProviders ?? []));
  providers.push(dockerConfigCredentials(options.dockerConfigPath ?? dockerConfigPath(env)));
  return providers;
}

/** The first credentials any provider has for `registry`. */
export async function findCredentials(
  providers: readonly CredentialProvider[],
  registry: string,
): Promise<Credentials | undefined> {
  for (const provider of providers) {
    const found = await provider(registry);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Fixed credentials for every registry; throws when only half of the pair is given. */
export function staticCredentials(
  username?: string,
  password?: string,
  source = 'options',
): CredentialProvider {
  const credentials = pair(username, password, source, ['username', 'password']);
  return () => Promise.resolve(credentials);
}

/** `CLEARANCE_REGISTRY_USERNAME` and `CLEARANCE_REGISTRY_PASSWORD`, for every registry. */
export function environmentCredentials(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CredentialProvider {
  // Read at each call; a half-set pair rejects the promise rather than throwing at the caller.
  return () =>
    Promise.resolve().then(() =>
      pair(env[ENV_USERNAME], env[ENV_PASSWORD], 'environment', [ENV_USERNAME, ENV_PASSWORD]),
    );
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const dir = nonEmpty(env.DOCKER_CONFIG) ?? join(nonEmpty(env.HOME) ?? homedir(), '.docker');
  return join(dir, 'config.json');
}

/**
 * `auths` entries of a Docker config file: `auth` (base64 `user:password`) or `username` and
 * `password`. A missing file means no credentials; the file is read once.
 */
export function dockerConfigCredentials(path: string): CredentialProvider {
  let auths: Promise<Record<string, unknown> | undefined> | undefined;
  return async (registry) => {
    auths ??= readAuths(path);
    const all = await auths;
    if (all === undefined) return undefined;
    const key = Object.keys(all).find((k) => sameRegistry(k, registry));
    return key === undefined ? undefined : entryCredentials(all[key], key, path);
  };
}

/** `user "alice" from options`: what a message may say about credentials. */
export function describeCredentials(credentials: Credentials): string {
  return `user "${credentials.username}" from ${credentials.source}`;
}

/** The `Authorization` header value for HTTP Basic (RFC 7617). */
export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function pair(
  username: string | undefined,
  password: string | undefined,
  source: string,
  names: readonly [string, string],
): Credentials | undefined {
  const user = nonEmpty(username);
  const secret = nonEmpty(password);
  if (user === undefined && secret === undefined) return undefined;
  if (user === undefined || secret === undefined) {
    const [given, missing] = user === undefined ? [names[1], names[0]] : names;
    throw new InvalidCredentialsConfigError(
      source,
      `${given} is set but ${missing} is not; expected both`,
    );
  }
  return { username: user, password: secret, source };
}

async function readAuths(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InvalidCredentialsConfigError(path, 'cannot read the file', { cause });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // The parser's message may quote the file, secrets included; do not chain it.
    throw new InvalidCredentialsConfigError(path, 'expected a JSON object, got invalid JSON');
  }
  const parsed = DockerConfigFile.safeParse(doc);
  if (!parsed.success)
    throw new InvalidCredentialsConfigError(path, firstIssue(parsed.error).message);
  // The file's own `auths`, checked: zod's copy would drop a key named `__proto__`.
  return (doc as { auths?: Record<string, unknown> }).auths;
}

function entryCredentials(entry: unknown, key: string, path: string): Credentials | undefined {
  const where = `auths["${key}"]`;
  const parsed = AuthEntry.safeParse(entry);
  if (!parsed.success)
    throw new InvalidCredentialsConfigError(path, `expected ${where} to be an object`);
  const { auth, username, password } = parsed.data;
  const source = path;
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
      throw new InvalidCredentialsConfigError(
        path,
        `expected ${where}.auth to be base64 of user:password`,
      );
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source };
  }
  if (username !== undefined && password !== undefined) {
    return pair(username, password, source, [`${where}.username`, `${where}.password`]);
  }
  return undefined;
}

/** A Docker config file: only `auths` is read, and only when it is there. */
const DockerConfigFile = z.object(
  { auths: z.object({}, { message: 'expected "auths" to be an object' }).optional() },
  { message: 'expected a JSON object' },
);
/** One `auths` entry: `auth` (non-empty), else `username` and `password`; other fields ignored. */
const AuthEntry = z.object({
  auth: z.string().min(1).optional().catch(undefined),
  username: z.string().optional().catch(undefined),
  password: z.string().optional().catch(undefined),
});

/** Docker normalises keys to a host: `https://host/v1/` and `host` are the same registry. */
function sameRegistry(key: string, registry: string): boolean {
  const host = key
    .replace(/^https?:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
  const wanted = registry.toLowerCase();
  if (DOCKER_HUB_ALIASES.has(wanted)) return DOCKER_HUB_ALIASES.has(host);
  return host === wanted;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
