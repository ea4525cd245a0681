import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';
import { AttestError } from './errors';

/**
 * The verdict signing key as stored in Secrets Manager (env `CLEARANCE_SIGNING_SECRET_ARN`) and,
 * locally, in `.clearance/pipeline/signing-key.json`: an ECDSA P-256 key pair in PEM, with its
 * key id (hex sha256 of the public key's SPKI DER) and creation time.
 */
export interface SigningKey {
  readonly keyId: string;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
  /** ISO 8601 time. */
  readonly createdAt: string;
}

/** A trusted public key (one `*.pem` of a keys directory, or an entry of `verdict-keys/index.json`). */
export interface VerificationKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
  readonly key: KeyObject;
}

const signingKeySchema = z.object({
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  privateKeyPem: z.string().min(1),
  publicKeyPem: z.string().min(1),
  createdAt: z.string().datetime({ offset: true }),
});

/** The named curve of every verdict key (P-256, OpenSSL's name). */
const CURVE = 'prime256v1';

/** A new ECDSA P-256 key pair, ready to store as the signing secret's value. */
export function generateSigningKey(now: Date = new Date()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: CURVE });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyId: keyIdOf(publicKey),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem,
    createdAt: now.toISOString(),
  };
}

/**
 * Parses and validates a signing key's JSON (a secret value or a key file): the shape, an
 * ECDSA P-256 private key, a public key that is its own, and a keyId that is the public key's.
 */
export function parseSigningKey(json: string): SigningKey {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AttestError(
      'KEY_INVALID',
      'Signing key: expected JSON, got unparseable text',
      'input',
      {
        cause: error,
      },
    );
  }
  const parsed = signingKeySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'value';
    throw new AttestError('KEY_INVALID', `Signing key: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  validatePair(parsed.data);
  return parsed.data;
}

/** Serialises a signing key as the secret's JSON value (keys in the documented order). */
export function serializeSigningKey(key: SigningKey): string {
  const { keyId, privateKeyPem, publicKeyPem, createdAt } = key;
  return JSON.stringify({ keyId, privateKeyPem, publicKeyPem, createdAt });
}

/** The key id of a public key: hex sha256 of its SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** A trusted ECDSA P-256 public key from its SPKI PEM; its keyId is computed, never taken on trust. */
export function verificationKeyFromPem(
  publicKeyPem: string,
  where = 'public key',
): VerificationKey {
  const key = publicKeyFromPem(publicKeyPem, where);
  return { keyId: keyIdOf(key), publicKeyPem, key };
}

/** The private key of a signing key as a KeyObject. */
export function privateKeyOf(key: SigningKey): KeyObject {
  return createPrivateKey(key.privateKeyPem);
}

function publicKeyFromPem(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new AttestError(
      'KEY_INVALID',
      `${where}: expected an SPKI PEM public key, got unreadable text`,
      'input',
      {
        cause: error,
      },
    );
  }
  assertP256(key, where);
  return key;
}

function assertP256(key: KeyObject, where: string): void {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== CURVE) {
    const got =
      key.asymmetricKeyType === 'ec'
        ? `EC ${curve ?? 'unknown curve'}`
        : (key.asymmetricKeyType ?? 'unknown');
    throw new AttestError('KEY_INVALID', `${where}: expected an ECDSA P-256 key, got ${got}`);
  }
}

function validatePair(key: SigningKey): void {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key.privateKeyPem);
  } catch (error) {
    throw new AttestError(
      'KEY_INVALID',
      'Signing key: privateKeyPem: expected a PKCS#8 PEM private key',
      'input',
      {
        cause: error,
      },
    );
  }
  assertP256(privateKey, 'Signing key: privateKeyPem');
  const publicKey = publicKeyFromPem(key.publicKeyPem, 'Signing key: publicKeyPem');
  const derived = createPublicKey(privateKey);
  if (keyIdOf(derived) !== keyIdOf(publicKey)) {
    throw new AttestError(
      'KEY_INVALID',
      'Signing key: publicKeyPem is not the public half of privateKeyPem',
    );
  }
  const keyId = keyIdOf(publicKey);
  if (key.keyId !== keyId) {
    throw new AttestError(
      'KEY_INVALID',
      `Signing key: keyId: expected ${keyId} (sha256 of the SPKI DER), got ${key.keyId}`,
    );
  }
}
