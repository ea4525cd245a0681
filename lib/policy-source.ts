import { isAbsolute, join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import type { PolicySource } from './config';
import type { PipelineFunction } from './pipeline-function';

/** Where the functions find the policy (`CLEARANCE_POLICY`), and how they may read it. */
export interface PolicyLocation {
  /** `default`, or `s3://bucket/key`. */
  readonly value: string;
  /** Lets `fn` read the policy object (nothing for the bundled policy). */
  grantRead(fn: PipelineFunction): void;
}

/**
 * The policy as the functions see it: the bundled one, a file of this checkout uploaded as an
 * S3 asset at deploy time, or an object the team keeps in its own bucket. Only that one object
 * is readable (if that bucket uses its own KMS key, the team grants decrypt on it).
 */
export function policyLocation(
  scope: Construct,
  source: PolicySource,
  projectRoot: string,
): PolicyLocation {
  switch (source.kind) {
    case 'default':
      return { value: 'default', grantRead: () => undefined };
    case 'file': {
      const path = isAbsolute(source.path) ? source.path : join(projectRoot, source.path);
      const asset = new s3assets.Asset(scope, 'Policy', { path });
      return objectLocation(
        asset.s3BucketName,
        asset.s3ObjectKey,
        asset.bucket.arnForObjects(asset.s3ObjectKey),
      );
    }
    case 's3': {
      const arn = Stack.of(scope).formatArn({
        service: 's3',
        region: '',
        account: '',
        resource: source.bucket,
        resourceName: source.key,
      });
      return objectLocation(source.bucket, source.key, arn);
    }
  }
}

function objectLocation(bucket: string, key: string, arn: string): PolicyLocation {
  return {
    value: `s3://${bucket}/${key}`,
    grantRead: (fn) =>
      void iam.Grant.addToPrincipal({
        grantee: fn.function,
        actions: ['s3:GetObject'],
        resourceArns: [arn],
      }),
  };
}
