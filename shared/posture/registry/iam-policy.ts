import { z } from 'zod';
import { isObject, issueMessage } from '../../core';
import { fieldOf } from './paths';

/*
 * A repository policy (`policyText`), read as IAM reads a resource-based policy
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html):
 * `Statement` one object or a list; `Principal`/`NotPrincipal` `"*"` or a map of principal
 * types to one value or a list; `Action`/`NotAction` one pattern or a list.
 */

const OneOrMany = z.union([z.string(), z.array(z.string()).nonempty()], {
  errorMap: () => ({ message: 'must be a string or a non-empty list of strings' }),
});
const PrincipalSchema = z.union([z.literal('*'), z.record(OneOrMany)], {
  errorMap: () => ({ message: 'must be "*" or a map of principal types to principals' }),
});
const ConditionValue = z.union([z.string(), z.number(), z.boolean()]);
const StatementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny'], { message: 'must be Allow or Deny' }),
    Principal: PrincipalSchema.optional(),
    NotPrincipal: PrincipalSchema.optional(),
    Action: OneOrMany.optional(),
    NotAction: OneOrMany.optional(),
    Condition: z
      .record(z.record(z.union([ConditionValue, z.array(ConditionValue)])), {
        message: 'must be a map of operators to maps of keys to values',
      })
      .optional(),
  })
  .refine((s) => (s.Principal === undefined) !== (s.NotPrincipal === undefined), {
    message: 'must have one of Principal and NotPrincipal',
  })
  .refine((s) => (s.Action === undefined) !== (s.NotAction === undefined), {
    message: 'must have one of Action and NotAction',
  });
const PolicySchema = z.object({
  Version: z.string().optional(),
  Id: z.string().optional(),
  Statement: z.union([StatementSchema, z.array(StatementSchema)]),
});

type RawStatement = z.infer<typeof StatementSchema>;
type Principal = z.infer<typeof PrincipalSchema>;

/** One statement, with where it is (`policyText.Statement[1]`, or `policyText.Statement` alone). */
export interface PolicyStatement {
  readonly path: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal: { readonly key: 'Principal' | 'NotPrincipal'; readonly value: Principal };
  readonly action: { readonly key: 'Action' | 'NotAction'; readonly patterns: readonly string[] };
  readonly condition: RawStatement['Condition'];
}

/** The statements of `policyText` (read at `base`), or why it cannot be read. */
export function parsePolicyText(
  text: string,
  base: string,
): { readonly statements: readonly PolicyStatement[] } | { readonly reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { reason: `${base} is not JSON: ${(error as Error).message}` };
  }
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) {
    return { reason: issueMessage(statementIssue(parsed.error, json), base) };
  }
  const { Statement } = parsed.data;
  const statements = Array.isArray(Statement)
    ? Statement.map((s, i) => statement(s, fieldOf(base, `Statement[${i}]`)))
    : [statement(Statement, fieldOf(base, 'Statement'))];
  return { statements };
}

/**
 * The issue to report: `Statement` is a union of one statement and a list, whose own issues
 * zod keeps beside a bare "Invalid input"; the branch of the shape given says what is wrong.
 */
function statementIssue(error: z.ZodError, json: unknown): z.ZodError {
  const [issue] = error.issues;
  if (issue?.code !== 'invalid_union' || issue.path.join('.') !== 'Statement') return error;
  const given = (json as { Statement?: unknown }).Statement;
  const branch = issue.unionErrors[Array.isArray(given) ? 1 : 0];
  if (!isObject(given) && !Array.isArray(given)) {
    return new z.ZodError([{ ...issue, message: 'must be a statement or a list of statements' }]);
  }
  return branch ?? error;
}

function statement(raw: RawStatement, path: string): PolicyStatement {
  const principal =
    raw.Principal !== undefined
      ? { key: 'Principal' as const, value: raw.Principal }
      : { key: 'NotPrincipal' as const, value: raw.NotPrincipal ?? '*' };
  const action =
    raw.Action !== undefined
      ? { key: 'Action' as const, patterns: list(raw.Action) }
      : { key: 'NotAction' as const, patterns: list(raw.NotAction ?? []) };
  return { path, effect: raw.Effect, principal, action, condition: raw.Condition };
}

export function list(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}
