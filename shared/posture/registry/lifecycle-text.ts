import { z } from 'zod';
import { issueMessage } from '../../core';

/** A rule of a lifecycle policy (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html). */
const LifecycleRuleSchema = z
  .object({
    rulePriority: z.number({ message: 'must be a number' }).int('must be an integer'),
    description: z.string().optional(),
    selection: z.record(z.unknown(), { message: 'must be an object' }),
    action: z.object({ type: z.string({ message: 'must be a string' }) }),
  })
  .passthrough();
const LifecyclePolicyTextSchema = z.object({
  rules: z.array(LifecycleRuleSchema, { message: 'must be a list' }),
});

export type LifecycleRule = z.infer<typeof LifecycleRuleSchema>;

/** The rules of `lifecyclePolicyText` (read at `base`), or why it cannot be read. */
export function parseLifecyclePolicyText(
  text: string,
  base: string,
): { readonly rules: readonly LifecycleRule[] } | { readonly reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { reason: `${base} is not JSON: ${(error as Error).message}` };
  }
  const parsed = LifecyclePolicyTextSchema.safeParse(json);
  return parsed.success
    ? { rules: parsed.data.rules }
    : { reason: issueMessage(parsed.error, base) };
}
