/*
 * The port the rotation protocol works through (STYLE.md §6): Secrets Manager's versions and
 * staging labels, without the SDK. Adapter: shared/aws/secrets-manager/secret-store.ts.
 */

/** The staging label of the value in use. */
export const AWSCURRENT = 'AWSCURRENT';
/** The staging label of the value a rotation is making. */
export const AWSPENDING = 'AWSPENDING';
/** The staging label Secrets Manager moves to the replaced value when AWSCURRENT moves. */
export const AWSPREVIOUS = 'AWSPREVIOUS';

/** What DescribeSecret says about a secret (no value). */
export interface SecretDescription {
  readonly arn: string;
  readonly name: string;
  readonly rotationEnabled: boolean;
  /** Version id → its staging labels (`VersionIdsToStages`). */
  readonly versions: Readonly<Record<string, readonly string[]>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** One version of a secret's value. */
export interface SecretVersion {
  readonly versionId: string;
  readonly value: string;
  readonly stages: readonly string[];
}

/** Which version to read: by id, by label, or both (then the version must carry the label). */
export interface VersionSelector {
  readonly versionId?: string;
  readonly stage?: string;
}

export interface SecretStore {
  describeSecret(secretId: string): Promise<SecretDescription>;
  /** The selected version's value, or undefined when no version matches. */
  getSecretValue(secretId: string, select: VersionSelector): Promise<SecretVersion | undefined>;
  /**
   * Stores `value` as version `token` with `stages`. `rotationToken` is the one Secrets
   * Manager passed to the rotation function, when it passed one.
   */
  putSecretValue(
    secretId: string,
    token: string,
    value: string,
    stages: readonly string[],
    options?: { readonly rotationToken?: string },
  ): Promise<void>;
  /** Moves `stage` to version `moveTo` and/or removes it from version `removeFrom`. */
  updateSecretVersionStage(
    secretId: string,
    stage: string,
    versions: { readonly moveTo?: string; readonly removeFrom?: string },
  ): Promise<void>;
}

/** The version ids carrying `stage` (one at most for the AWS labels). */
export function versionsWithStage(secret: SecretDescription, stage: string): string[] {
  return Object.entries(secret.versions)
    .filter(([, stages]) => stages.includes(stage))
    .map(([versionId]) => versionId);
}
