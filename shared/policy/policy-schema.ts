import { z } from 'zod';
import { messageOf } from '../core';
import { yamlDay } from '../core';
import { parseGapPattern } from '../coverage';

/*
 * What policy.ts reads of a policy file. Text is trimmed and must not be empty; a field only
 * reported (a description, a rule's message) is read when it is text and left out otherwise.
 * Keys are listed in the order they are checked, so the first issue is the one to report.
 */
const NON_EMPTY_RULES = 'expected a non-empty "rules:" list';
const Text = (message: string) => z.string({ message }).trim().min(1, message);
const lenient = <T extends z.ZodTypeAny>(schema: T) => schema.optional().catch(undefined);
const OptionalText = lenient(z.string().trim().min(1));
/** `expires`: a day as YAML gives it, quoted or not (see yamlDay). */
const Expires = z
  .unknown()
  .transform(yamlDay)
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, '"expires" is not a YYYY-MM-DD date')
      .optional(),
  );

export const PolicyDocument = z.object(
  {
    rules: z.array(z.unknown(), { message: NON_EMPTY_RULES }).min(1, NON_EMPTY_RULES),
    exceptions: lenient(z.array(z.unknown())),
    /** Checked after the rules and exceptions (see OnError). */
    onError: z.unknown(),
    name: OptionalText,
  },
  { message: 'expected a mapping with "rules:"' },
);
export const OnError = z
  .enum(['fail', 'warn'], { message: '"onError" is fail or warn' })
  .nullish()
  .transform((onError) => onError ?? 'fail');

/** A rule's or an exception's id: what names its other problems (`a: no "expression"`). */
export const Named = z.object({ id: Text('no "id"') }, { message: 'not a mapping' });

/** Globs: the strings of a list; none when it is not a list. */
const Globs = lenient(
  z
    .array(z.string().nullable().catch(null))
    .transform((globs) => globs.filter((g): g is string => g !== null)),
);
export const Rule = z.object({
  expression: Text('no "expression"'),
  action: z.enum(['deny', 'warn'], { message: '"action" is deny or warn' }).nullish(),
  match: lenient(z.object({ repositories: Globs, tags: Globs })),
  description: OptionalText,
  message: OptionalText,
});

const SCOPES = ['repository', 'digest', 'vulnerability', 'workload', 'coverage'] as const;
const Scope = z
  .object(
    Object.fromEntries(SCOPES.map((key) => [key, OptionalText])) as Record<
      (typeof SCOPES)[number],
      typeof OptionalText
    >,
    { message: 'no "scope"' },
  )
  .transform(
    (scope) =>
      Object.fromEntries(
        SCOPES.flatMap((key) => (scope[key] === undefined ? [] : [[key, scope[key]]])),
      ) as Partial<Record<(typeof SCOPES)[number], string>>,
  )
  .refine(
    (scope) => Object.keys(scope).length > 0,
    '"scope" names a repository, a digest, a vulnerability, a workload or a coverage gap',
  )
  .superRefine((scope, context) => {
    if (scope.coverage === undefined) return;
    try {
      parseGapPattern(scope.coverage, 'scope.coverage');
    } catch (error) {
      context.addIssue({ code: 'custom', message: messageOf(error) });
    }
  });

/** An exception's schema: the rules it names must be among `ruleIds`. */
export function exceptionSchema(ruleIds: readonly string[]) {
  return z.object({
    reason: Text('no "reason"'),
    owner: Text('no "owner"'),
    scope: Scope,
    rules: lenient(z.array(z.unknown()).transform((rules) => rules.map(String))).superRefine(
      (rules, context) => {
        const unknown = rules?.find((r) => !ruleIds.includes(r));
        if (unknown !== undefined)
          context.addIssue({ code: 'custom', message: `no rule "${unknown}"` });
      },
    ),
    expires: Expires,
  });
}
