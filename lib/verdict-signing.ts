import { Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ROTATOR_TAG } from '../shared/rotation';
import { VERDICT_SIGNING_KEY_ROTATOR } from '../shared/rotation';
import { acknowledge } from './nag';
import type { PipelineFunction } from './pipeline-function';

export interface VerdictSigningProps {
  /** The stack's customer-managed key: it encrypts the secret. */
  readonly key: kms.IKey;
  /**
   * The rotation function (functions/rotate-secret): it makes each new key pair and publishes
   * its public key under `verdict-keys/` of the artifacts bucket (that grant is its own need).
   */
  readonly rotationFunction: PipelineFunction;
  /**
   * Days between rotations of the signing key.
   * @default 30
   */
  readonly rotationDays?: number;
}

/** Days between rotations when none is configured (the default). */
export const DEFAULT_SIGNING_KEY_ROTATION_DAYS = 30;

/**
 * The verdict signing key: a Secrets Manager secret holding an ECDSA P-256 key pair as JSON
 * (`{keyId, privateKeyPem, publicKeyPem, createdAt}`, shared/attest/signing-key.ts), encrypted
 * with the stack's key, rotated by the rotation function on a schedule.
 *
 * Secrets Manager cannot generate a key pair, so the secret is created with a placeholder
 * (`{"placeholder": "<random>"}`, not a key) and rotated immediately when the schedule is
 * created or changed (`rotateImmediatelyOnUpdate`): the first rotation makes the first key pair
 * and publishes its public key. Until it has finished, the secret holds no signing key and the
 * signer must refuse to sign rather than sign with something else. The secret and its rotation
 * function live in the same stack (a cross-stack pair makes a reference cycle).
 */
export class VerdictSigning extends Construct {
  /** The signing-key secret; readers are granted with `secret.grantRead`. */
  readonly secret: secretsmanager.Secret;
  readonly rotation: secretsmanager.RotationSchedule;

  constructor(scope: Construct, id: string, props: VerdictSigningProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Clearance: the ECDSA P-256 key that signs verdict attestations (rotated)',
      encryptionKey: props.key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'placeholder',
        excludePunctuation: true,
      },
      // Verdicts signed with a lost key can still be verified with its published public key,
      // but no new one could be signed: keep the secret when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Tags.of(this.secret).add(ROTATOR_TAG, VERDICT_SIGNING_KEY_ROTATOR);
    this.rotation = this.secret.addRotationSchedule('Rotation', {
      rotationLambda: props.rotationFunction.function,
      automaticallyAfter: Duration.days(props.rotationDays ?? DEFAULT_SIGNING_KEY_ROTATION_DAYS),
      rotateImmediatelyOnUpdate: true,
    });
    narrowRotationInvoke(props.rotationFunction.function, this.secret);
    acknowledge(
      props.rotationFunction.role,
      'AwsSolutions-IAM5[Resource::*]',
      "secretsmanager:GetRandomPassword, granted by CDK's rotation schedule, has no resource-level permissions.",
    );
  }
}

const SECRETS_MANAGER = 'secretsmanager.amazonaws.com';

/**
 * Secrets Manager's permission to invoke the rotation function, which CDK's rotation schedule
 * makes without a source: narrowed here to this account and this secret, the source Secrets
 * Manager invokes with, so that no other account's secret can have it called (the confused
 * deputy). The permission is CDK's own, amended, not a second one. CDK makes one per function
 * and principal: a second secret rotated by the same function would need its own.
 */
function narrowRotationInvoke(fn: lambda.IFunction, secret: secretsmanager.ISecret): void {
  const permissions = fn.node.children.filter(
    (child): child is lambda.CfnPermission =>
      child instanceof lambda.CfnPermission && child.principal === SECRETS_MANAGER,
  );
  if (permissions.length !== 1)
    throw new Error(
      `expected the one invoke permission of ${SECRETS_MANAGER} that the rotation schedule makes on ${fn.node.path}, got ${permissions.length}`,
    );
  permissions[0]!.sourceAccount = Stack.of(secret).account;
  permissions[0]!.sourceArn = secret.secretArn;
}
