import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { FunctionNeeds } from './function-specs';
import type { ResolvedConfig } from './config';
import type { PipelineFunction } from './pipeline-function';

/** The account's default Security Hub product: the one custom findings are imported into. */
export function securityHubProductArn(scope: IConstruct): string {
  const { partition, region, account } = Stack.of(scope);
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

/** The account's hub, which GetFindings and BatchUpdateFindings are authorized on. */
function hubArn(scope: IConstruct): string {
  const { partition, region, account } = Stack.of(scope);
  return `arn:${partition}:securityhub:${region}:${account}:hub/default`;
}

/**
 * With `securityHub` on: BatchImportFindings on the account's default product only (not on any
 * partner product), and GetFindings (the image's active findings, to archive those gone) and
 * BatchUpdateFindings (their workflow set RESOLVED) on the account's hub. No wildcard.
 */
export function meetSecurityHub(
  fn: PipelineFunction,
  needs: FunctionNeeds,
  { config }: { readonly config: Pick<ResolvedConfig, 'securityHub'> },
): void {
  if (!needs.securityHub || !config.securityHub) return;
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: ['securityhub:BatchImportFindings'],
    resourceArns: [securityHubProductArn(fn)],
  });
  iam.Grant.addToPrincipal({
    grantee: fn.function,
    actions: ['securityhub:GetFindings', 'securityhub:BatchUpdateFindings'],
    resourceArns: [hubArn(fn)],
  });
}
