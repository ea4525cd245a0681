import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArtifactPusher } from '../attest';
import { OciLayoutArtifactPusher } from '../attest';
import { RegistryArtifactPusher } from '../attest';
import {
  generateSigningKey,
  parseSigningKey,
  serializeSigningKey,
  type SigningKey,
} from '../attest';
import { createRegistryClient } from '../registry';
import type { SourceOptions } from '../sources';
import type { Clock } from '../core';
import type { ImageTarget } from '../pipeline';

/** Under the state directory: the local signing key, its public keys, attestations of archives. */
export const LOCAL_SIGNING = {
  key: 'signing-key.json',
  publicKeys: 'verdict-keys',
  attestations: 'attestations',
} as const;

const OCI = 'oci:';
const DOCKER_ARCHIVE = 'docker-archive:';
/** Owner read/write only: the file holds a private key. */
const PRIVATE_FILE_MODE = 0o600;

/**
 * The local runs' signing key, the stand-in of the Secrets Manager secret: `signing-key.json`
 * in the state directory (the secret's JSON), made on first use (owner-only, never overwritten:
 * a second run reads the first one's key).
 */
export function localSigningKey(stateDir: string, clock: Clock): () => Promise<SigningKey> {
  const path = join(stateDir, LOCAL_SIGNING.key);
  let loaded: Promise<SigningKey> | undefined;
  return () => (loaded ??= readOrMake(path, clock));
}

async function readOrMake(path: string, clock: Clock): Promise<SigningKey> {
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return parseSigningKey(existing);
  const key = generateSigningKey(clock());
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, serializeSigningKey(key), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    return key;
  } catch (error) {
    // Another run made it first: use that one.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return parseSigningKey(await readFile(path, 'utf8'));
    throw error;
  }
}

/**
 * Where a local run attaches an image's attestation: to its registry (one on 127.0.0.1, with the
 * run's registry options), as the cloud does; for a local file, into the OCI layout
 * `attestations/` of the state directory, so that scanning a layout does not change it, or, with
 * `attachToLayout`, into the image's own OCI layout (a docker archive has no room for one).
 */
export function localArtifactPusher(
  stateDir: string,
  options: SourceOptions = {},
  attachToLayout = false,
): (image: ImageTarget) => ArtifactPusher {
  return (image) => {
    if (image.registry.startsWith(OCI) && attachToLayout)
      return new OciLayoutArtifactPusher(image.registry.slice(OCI.length));
    if (image.registry.startsWith(OCI) || image.registry.startsWith(DOCKER_ARCHIVE))
      return new OciLayoutArtifactPusher(join(stateDir, LOCAL_SIGNING.attestations));
    return new RegistryArtifactPusher(createRegistryClient(image.registry, options));
  };
}
