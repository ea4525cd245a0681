import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { ResolvedConfig } from './config';
import { ecrGrants, type EcrAccess } from './ecr-grants';
import type { FunctionNeeds, ObjectAccess } from './function-specs';
import { acknowledge, acknowledgeWildcards } from './nag';
import type { PipelineFunction } from './pipeline-function';
import type { PolicyLocation } from './policy-source';
import { postureGrants } from './posture-grants';
import { meetSecurityHub } from './security-hub-grants';
import type { Storage } from './storage';

/** What the functions' needs are met with. */
export interface FunctionResources {
  readonly storage: Storage;
  readonly alerts: sns.ITopic;
  readonly operations: sns.ITopic;
  readonly config: ResolvedConfig;
  readonly policy: PolicyLocation;
  /** The audit anchors bucket (Object Lock). */
  readonly anchors?: s3.IBucket;
  /** Only start-scan needs it, and it is made after the functions it runs. */
  readonly scanImage?: sfn.IStateMachine;
  /** The verdict signing key's secret (lib/verdict-signing.ts). */
  readonly signingSecret?: secretsmanager.ISecret;
}

type Meet = (fn: PipelineFunction, needs: FunctionNeeds, r: FunctionResources) => void;

/**
 * Gives `fn` the permissions of its `needs`, and nothing more (its variables are the
 * environment contract's, set by `PipelineFunction`). Tables and topics are granted with their
 * `grant*` methods; objects and ECR with narrow statements (the step's prefixes, the actions it
 * calls).
 */
export function meetNeeds(fn: PipelineFunction, needs: FunctionNeeds, r: FunctionResources): void {
  for (const meet of MEETS) meet(fn, needs, r);
}

const meetObjects: Meet = (fn, needs, { storage }) => {
  if (!needs.objects) return;
  grantObjects(fn, storage, needs.objects);
};

const meetTables: Meet = (fn, needs, { storage }) => {
  const tables: [dynamodb.Table, TableAccess | undefined][] = [
    [storage.images, needs.images],
    [storage.audit, needs.audit ? 'append' : needs.auditRead && 'chain'],
    [storage.vulnerabilities, needs.vulnerabilities],
    [storage.idempotency, needs.idempotency && 'write'],
  ];
  for (const [table, access] of tables) if (access !== undefined) grantTable(fn, table, access);
  if (tables.some(([, access]) => access === 'write'))
    acknowledgeWildcards(
      fn.role,
      { actions: ['kms:ReEncrypt*', 'kms:GenerateDataKey*'] },
      "Key actions named by CDK's DynamoDB write grant, on the stack's own key only.",
    );
};

type TableAccess = 'read' | 'write' | 'append' | 'chain';

/**
 * `read` and `write` with the table's grants. `append` is the audit trail's: PutItem (the
 * adapter's conditional put of a new link), GetItem and Query (the chain's head), never
 * UpdateItem or DeleteItem, so that no function can rewrite history; `chain` reads the chain
 * only (GetItem, Query on the table, not its indexes). With the key actions DynamoDB needs.
 */
function grantTable(fn: PipelineFunction, table: dynamodb.Table, access: TableAccess): void {
  if (access === 'read') table.grantReadData(fn.function);
  if (access === 'write') table.grantReadWriteData(fn.function);
  if (access !== 'append' && access !== 'chain') return;
  const reads = ['dynamodb:GetItem', 'dynamodb:Query'];
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: access === 'append' ? ['dynamodb:PutItem', ...reads] : reads,
    resourceArns: [table.tableArn],
  });
  const encrypt = access === 'append' ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [];
  table.encryptionKey?.grant(fn.function, 'kms:Decrypt', 'kms:DescribeKey', ...encrypt);
}

const meetTopics: Meet = (fn, needs, r) => {
  const topics: [sns.ITopic, boolean | undefined][] = [
    [r.alerts, needs.alerts],
    [r.operations, needs.operations],
  ];
  for (const [topic, needed] of topics) if (needed === true) topic.grantPublish(fn.function);
  if (needs.alerts || needs.operations)
    acknowledgeWildcards(
      fn.role,
      { actions: ['kms:GenerateDataKey*'] },
      "Key action named by CDK's SNS publish grant (encrypted topics), on the stack's own key only.",
    );
};

const meetPolicy: Meet = (fn, needs, { policy }) => {
  if (!needs.policy) return;
  policy.grantRead(fn);
};

const meetStartScan: Meet = (fn, needs, { scanImage }) => {
  if (!needs.startScan) return;
  if (scanImage === undefined) throw new Error(`${fn.node.path}: start-scan needs ScanImage`);
  scanImage.grantStartExecution(fn.function);
};

/**
 * ListSecrets, for the hygiene check: an action without resource-level permissions (it reads
 * metadata only; no GetSecretValue is granted).
 */
const meetSecretHygiene: Meet = (fn, needs) => {
  if (!needs.secretHygiene) return;
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: ['secretsmanager:ListSecrets'],
    resourceArns: ['*'],
  });
  acknowledge(
    fn.role,
    'AwsSolutions-IAM5[Resource::*]',
    'secretsmanager:ListSecrets has no resource-level permissions; it lists metadata, never a value.',
  );
};

/** PutObject of anchors only (no delete, no retention change), and a data key to encrypt them. */
const meetAnchors: Meet = (fn, needs, { anchors, storage }) => {
  if (!needs.anchors) return;
  if (anchors === undefined) throw new Error(`${fn.node.path}: anchors need the anchors bucket`);
  const resources = [anchors.arnForObjects('audit-anchors/*')];
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: ['s3:PutObject'],
    resourceArns: resources,
  });
  storage.key.grant(fn.function, 'kms:GenerateDataKey');
  acknowledgeWildcards(fn.role, { resources }, 'Anchor objects are named by chain and time.');
};

/** GetSecretValue (and decrypting it with the secret's key) of the signing key's secret only. */
const meetSigningKey: Meet = (fn, needs, { signingSecret }) => {
  if (!needs.signingKey) return;
  if (signingSecret === undefined)
    throw new Error(`${fn.node.path}: signing needs the signing key's secret`);
  signingSecret.grantRead(fn.function);
};

const meetEcr: Meet = (fn, needs, { config }) => ecrGrants(fn, ecrAccessOf(needs, config));

const meetPosture: Meet = (fn, needs, { config }) =>
  postureGrants(fn, {
    ecsInventory: needs.ecsInventory === true,
    registry: needs.registryPosture === true,
    repositories: config.repositories,
  });

/**
 * PutEvents on the account's default bus only (no other bus, no rule or target action), and
 * the idempotency table the events are claimed in, when `publishEvents` is on.
 */
const meetEvents: Meet = (fn, needs, { storage, config }) => {
  if (!needs.events || !config.publishEvents) return;
  const { partition, region, account } = Stack.of(fn);
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: ['events:PutEvents'],
    resourceArns: [`arn:${partition}:events:${region}:${account}:event-bus/default`],
  });
  if (needs.idempotency) return;
  grantTable(fn, storage.idempotency, 'write');
  acknowledgeWildcards(
    fn.role,
    { actions: ['kms:ReEncrypt*', 'kms:GenerateDataKey*'] },
    "Key actions named by CDK's DynamoDB write grant, on the stack's own key only.",
  );
};

const MEETS: readonly Meet[] = [
  meetEvents,
  meetObjects,
  meetTables,
  meetTopics,
  meetPolicy,
  meetStartScan,
  meetAnchors,
  meetSecretHygiene,
  meetSigningKey,
  meetEcr,
  meetPosture,
  meetSecurityHub,
];

/** The ECR permissions the needs come to, given the configuration. */
function ecrAccessOf(needs: FunctionNeeds, config: ResolvedConfig): EcrAccess {
  const keys = needs.signatureKeys === true ? (config.signatureKeys ?? []) : [];
  const promotion = needs.promotion === true ? config.promotion : undefined;
  const tagWatched = needs.quarantine === true && config.quarantine === 'tag';
  return {
    repositories: config.repositories,
    // Signatures are found in the image's repository (the `.sig` tag, the referrers API).
    pull: needs.pull === true || keys.length > 0,
    pullManifests: needs.manifests === true,
    // Promotion and quarantine tags copy the manifest (BatchGetImage, then PutImage); the
    // fleet reads indexes to leave out their untagged children.
    // …and PublishFindings asks whether a DELETE event's image is still there (a tag removed).
    readManifests:
      promotion !== undefined ||
      tagWatched ||
      needs.enumerate === true ||
      needs.imageExists === true,
    tagWatched,
    pushTo: promotion?.repository,
    enumerate: needs.enumerate === true,
    publicKeys: keys,
    attach: needs.attach === true,
  };
}

/**
 * Objects under the given prefixes only: GetObject / PutObject there, ListBucket on the bucket
 * (without it S3 answers 403 instead of 404 for a missing key, and a cache miss would look like
 * a denial), and the bucket's key to decrypt what is read and encrypt what is written.
 */
function grantObjects(fn: PipelineFunction, storage: Storage, access: ObjectAccess): void {
  const { bucket, key } = storage;
  const grantee = fn.function;
  const read = access.read ?? [];
  const write = access.write ?? [];
  if (read.length > 0) {
    const resourceArns = read.map((prefix) => bucket.arnForObjects(prefix));
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
    });
    key.grantDecrypt(grantee);
  }
  if (write.length > 0) {
    const resourceArns = write.map((prefix) => bucket.arnForObjects(prefix));
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns });
    // SSE-KMS: PutObject asks KMS for a data key.
    key.grant(grantee, 'kms:GenerateDataKey');
  }
  const prefixes = [...new Set([...read, ...write])];
  acknowledgeWildcards(
    fn.role,
    { resources: prefixes.map((prefix) => bucket.arnForObjects(prefix)) },
    `Objects under ${prefixes.join(', ')}: their keys are made per scan, layer or run.`,
  );
}
