import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AttestError } from '../../attest';
import { parseSigningKey, type SigningKey } from '../../attest';
import { awsRequestError } from '..';

/**
 * How long a read key is used before Secrets Manager is asked again: an hour, the default of
 * AWS's own secrets caching clients. After a rotation a warm function signs with the previous
 * key until then, which verifies all the same (previous keys stay published).
 */
export const SIGNING_KEY_CACHE_MS = 60 * 60 * 1000;

export interface SecretsManagerSigningKeyProps {
  /** Created once at module scope by the handler. */
  readonly client: SecretsManagerClient;
  /** `CLEARANCE_SIGNING_SECRET_ARN`. */
  readonly secretId: string;
  /** @default {@link SIGNING_KEY_CACHE_MS} */
  readonly cacheMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * The verdict signing key: the secret's AWSCURRENT value (GetSecretValue), read on first use and
 * cached. The value is never logged nor put in a message. Until the first rotation has made a
 * key the secret holds a placeholder: that is refused as transient (the rotation runs when the
 * stack is deployed), never signed with.
 */
export class SecretsManagerSigningKey {
  private cached: { key: SigningKey; until: number } | undefined;

  constructor(private readonly props: SecretsManagerSigningKeyProps) {}

  async current(): Promise<SigningKey> {
    const now = (this.props.now ?? Date.now)();
    if (this.cached !== undefined && now < this.cached.until) return this.cached.key;
    const key = await this.read();
    this.cached = { key, until: now + (this.props.cacheMs ?? SIGNING_KEY_CACHE_MS) };
    return key;
  }

  private async read(): Promise<SigningKey> {
    const { client, secretId } = this.props;
    let value: string | undefined;
    try {
      value = (
        await client.send(
          new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }),
        )
      ).SecretString;
    } catch (error) {
      throw awsRequestError('Secrets Manager GetSecretValue', secretId, error);
    }
    if (value === undefined || isPlaceholder(value))
      throw new AttestError(
        'KEY_INVALID',
        `the signing key secret ${secretId} holds no key yet: its first rotation has not finished`,
        'transient',
      );
    return parseSigningKey(value);
  }
}

/** The value the secret is created with (lib/verdict-signing.ts): `{"placeholder": "…"}`, no keyId. */
function isPlaceholder(value: string): boolean {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    return (
      typeof parsed === 'object' &&
      parsed !== null &&
      'placeholder' in parsed &&
      !('keyId' in parsed)
    );
  } catch {
    return false;
  }
}
