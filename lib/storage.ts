import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { cdkKeys, TABLE_SCHEMAS, type TableSchema } from './table-schemas';

export interface StorageProps {
  /** How long scan objects (`scans/`, `fleet/`) are kept, in days. */
  readonly scanRetentionDays: number;
  /** How long a cached layer report (`layer-reports/`) lives, in days. */
  readonly layerReportRetentionDays: number;
  /** How long S3 server access logs are kept, in days. */
  readonly accessLogRetentionDays: number;
}

/** Days a replaced or deleted object version is kept, so a mistake can be undone. */
const NONCURRENT_VERSION_DAYS = 30;

/**
 * The customer-managed key and everything it encrypts at rest: the artifacts bucket (layer
 * reports, scan reports, SBOMs, fleet items and results) and the four tables. Tables and bucket
 * are retained when the stack is deleted: they hold the audit trail.
 */
export class Storage extends Construct {
  /** Encrypts S3, DynamoDB, SNS, SQS and CloudWatch Logs; rotated yearly. */
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;
  /** S3 server access logs of the artifacts bucket (and of the audit anchors bucket). */
  readonly accessLogs: s3.Bucket;
  /** Latest verdict per digest and per repository:tag, promotion markers, blocks. */
  readonly images: dynamodb.Table;
  /** Audit events (append-only). */
  readonly audit: dynamodb.Table;
  /** The OSV store (shared/aws/dynamodb/vulnerability-store.ts). */
  readonly vulnerabilities: dynamodb.Table;
  /** Notifications already sent, keyed by notification id; items expire (TTL `expiration`). */
  readonly idempotency: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Clearance: encrypts its bucket, tables, topics, queue and logs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    admitLogs(this.key);
    this.accessLogs = this.accessLogsBucket(props);
    this.bucket = this.artifactsBucket(props);
    this.images = this.table('Images', TABLE_SCHEMAS.images);
    this.audit = this.table('Audit', TABLE_SCHEMAS.audit);
    this.vulnerabilities = this.table('Vulnerabilities', TABLE_SCHEMAS.vulnerabilities);
    this.idempotency = this.table('Idempotency', TABLE_SCHEMAS.idempotency);
  }

  private accessLogsBucket(props: StorageProps): s3.Bucket {
    return new s3.Bucket(this, 'AccessLogs', {
      // Server access logs can only be delivered to a bucket encrypted with S3-managed keys.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private artifactsBucket(props: StorageProps): s3.Bucket {
    return new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      lifecycleRules: lifecycleRules(props),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** A table of `schema` (its adapter's), on demand, encrypted, recoverable, undeletable. */
  private table(id: string, schema: TableSchema): dynamodb.Table {
    const table = new dynamodb.Table(this, id, {
      ...cdkKeys(schema.keySchema, schema.attributes),
      timeToLiveAttribute: schema.ttlAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of schema.indexes ?? []) {
      if (index.Projection?.ProjectionType !== 'ALL')
        throw new Error(`${id} index ${index.IndexName}: expected projection ALL`);
      table.addGlobalSecondaryIndex({
        indexName: index.IndexName ?? '',
        ...cdkKeys(index.KeySchema ?? [], schema.attributes),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }
}

function lifecycleRules(props: StorageProps): s3.LifecycleRule[] {
  const noncurrentVersionExpiration = Duration.days(NONCURRENT_VERSION_DAYS);
  return [
    {
      id: 'layer-reports',
      prefix: 'layer-reports/',
      expiration: Duration.days(props.layerReportRetentionDays),
      // A report is a cache entry: an old version is never read again.
      noncurrentVersionExpiration: Duration.days(1),
    },
    {
      id: 'scans',
      prefix: 'scans/',
      expiration: Duration.days(props.scanRetentionDays),
      noncurrentVersionExpiration,
    },
    {
      id: 'fleet',
      prefix: 'fleet/',
      expiration: Duration.days(props.scanRetentionDays),
      noncurrentVersionExpiration,
    },
    { id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
  ];
}

/**
 * CloudWatch Logs encrypts a log group with a customer-managed key only if the key policy lets
 * the regional Logs service use it, for log groups of this account and region
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
function admitLogs(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: [
        'kms:Encrypt*',
        'kms:Decrypt*',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:Describe*',
      ],
      // In a key policy, `*` is this key.
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
        },
      },
    }),
  );
}
