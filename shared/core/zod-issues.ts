import type { z } from 'zod';

/**
 * Turning a failed zod parse into the one-line messages Clearance's parsers give (`config is not
 * an object`, `statements[2]: unknown status maybe`). zod reports issues in the order it walks
 * the input (an object's keys in the schema's order, an array's items in order), so a schema
 * whose keys are listed in the order the fields are meant to be checked reports, first, the
 * problem a reader should hear about first.
 */

/** What these helpers read of a ZodError (zod 3's and zod 4's alike). */
export interface ZodIssues {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}

/** The first issue of a failed parse: its field as written in code, and the schema's message. */
export interface FirstIssue {
  /** `manifests[0].digest`, after `base` when one is given; `base` (or '') for the input itself. */
  readonly field: string;
  /** The issue's path as zod gives it, for a caller that reports at a coarser place. */
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The first issue of `error`; `base` names the input (`config`, `layers[3]`) when it is a part. */
export function firstIssue(error: ZodIssues, base = ''): FirstIssue {
  const issue = error.issues[0];
  if (issue === undefined) return { field: base, path: [], message: 'is not valid' };
  return { field: fieldPath(issue.path, base), path: issue.path, message: issue.message };
}

/** `<field> <message>`, or the message alone when the input itself is at fault. */
export function issueMessage(error: ZodIssues, base = ''): string {
  const { field, message } = firstIssue(error, base);
  return field === '' ? message : `${field} ${message}`;
}

/** `['manifests', 0, 'digest']` → `manifests[0].digest`, after `base`. */
export function fieldPath(path: readonly PropertyKey[], base = ''): string {
  return path.reduce<string>((field, key) => {
    if (typeof key === 'number') return `${field}[${key}]`;
    return field === '' ? String(key) : `${field}.${String(key)}`;
  }, base);
}

/**
 * Schema parameters that give every issue of that schema one message made from the value it
 * saw (`"sha256:x" is not a digest`), whichever of its checks failed.
 */
export function describedBy(describe: (value: unknown) => string): { errorMap: z.ZodErrorMap } {
  return { errorMap: (_issue, context) => ({ message: describe(context.data) }) };
}
