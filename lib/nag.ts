import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/*
 * cdk-nag acknowledgements. Each is made next to the construct that causes the finding, with
 * its reason; cdk-nag v3 matches them by rule id, or `Rule[finding]` for rules with findings,
 * on the construct or any of its parents.
 */

/** Acknowledges cdk-nag rule (or finding) `id` on `scope` and everything under it. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges the AwsSolutions-IAM5 findings of wildcard `actions` (`s3:GetObject*`) and
 * `resources` (ARNs, tokens included: they are named as cdk-nag names them, `<Logical.Arn>/*`).
 */
export function acknowledgeWildcards(
  scope: IConstruct,
  wildcards: { readonly actions?: readonly string[]; readonly resources?: readonly string[] },
  reason: string,
): void {
  for (const action of wildcards.actions ?? [])
    acknowledge(scope, `AwsSolutions-IAM5[Action::${action}]`, reason);
  for (const resource of wildcards.resources ?? [])
    acknowledge(scope, `AwsSolutions-IAM5[Resource::${resourceName(scope, resource)}]`, reason);
}

function resourceName(scope: IConstruct, resource: string): string {
  return flattenCfnReference(Stack.of(scope).resolve(resource));
}
