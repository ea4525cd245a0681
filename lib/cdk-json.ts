import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** cdk.json's context at `root`: the feature flags and the `clearance` configuration. */
export function cdkJsonContext(root: string): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** The feature flags of cdk.json at `root` (its `@aws-cdk/…` context keys). */
export function featureFlags(root: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(cdkJsonContext(root)).filter(([key]) => key.startsWith('@aws-cdk/')),
  );
}
