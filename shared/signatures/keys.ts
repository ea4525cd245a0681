import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { KMSClient } from '@aws-sdk/client-kms';
import { messageOf } from '../core';
import { SignatureError } from './errors';

/** A public key signatures are checked against, with the id reports name it by. */
export interface VerificationKey {
  /** `sha256:` and the hex digest of the key's DER SubjectPublicKeyInfo, or the KMS key's ARN. */
  readonly id: string;
  readonly key: KeyObject;
}

/**
 * A cosign public key from PEM (`cosign.pub`): ECDSA P-256 or RSA, the keys cosign makes and
 * accepts. Anything else fails with a message saying what it is.
 */
export function keyFromPem(pem: string, source: string): VerificationKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new SignatureError('KEY_INVALID', `${source}: not a PEM public key: ${messageOf(error)}`);
  }
  return { id: fingerprint(key), key: usable(key, source) };
}

/**
 * The public half of an AWS KMS signing key (`GetPublicKey`), as `cosign --key awskms://…`
 * uses. The client is created once by the caller.
 */
export async function keyFromKms(client: KMSClient, keyId: string): Promise<VerificationKey> {
  // The SDK's command is loaded here, not with the module: verifying with PEM keys needs none.
  const { GetPublicKeyCommand } = await import('@aws-sdk/client-kms');
  let der: Uint8Array | undefined;
  try {
    der = (await client.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey;
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    throw new SignatureError(
      'KEY_UNAVAILABLE',
      `KMS GetPublicKey for ${keyId} failed: ${name}`,
      'transient',
      {
        cause: error,
      },
    );
  }
  if (der === undefined)
    throw new SignatureError('KEY_UNAVAILABLE', `KMS GetPublicKey for ${keyId} returned no key`);
  const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  return { id: keyId, key: usable(key, keyId) };
}

function usable(key: KeyObject, source: string): KeyObject {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return key;
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return key;
  const what = type === 'ec' ? `EC ${key.asymmetricKeyDetails?.namedCurve}` : String(type);
  throw new SignatureError(
    'KEY_INVALID',
    `${source}: a ${what} key; cosign keys are ECDSA P-256 or RSA`,
  );
}

function fingerprint(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}
