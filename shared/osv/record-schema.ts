import { z } from 'zod/v4';
import { isObject, type JsonObject } from '../core';

/*
 * The OSV schema (https://ossf.github.io/osv-schema/) as record.ts reads it, compiled once: an
 * import reads hundreds of thousands of records. What matching needs is required (an id, a valid
 * `modified`, each affected entry's package and usable ranges); what it only reports is read
 * when it is of its type and left out otherwise. Keys are listed in the order reasons are given.
 *
 * zod 4 (`zod/v4`, shipped in the zod 3.25 package the project depends on) rather than the zod 3
 * API the other schemas use, for speed: on bench:match's records zod 4 reads one in ~7 µs (the
 * hand-written reader it replaced, ~2 µs), zod 3 in ~47 µs, which made the 300,000-record
 * import about half again as slow.
 */

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
type EventKind = (typeof EVENT_KINDS)[number];

/** A field read when it is what it should be, else left out: the record keeps what it can. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const required = (message: string) => z.string({ message }).min(1, message);

const OptionalText = lenient(z.string().min(1));
/** `database_specific` and `ecosystem_specific`: any object, kept as it is. */
const OpaqueObject = lenient(z.custom<JsonObject>(isObject));
/**
 * A list of which only the strings are kept; not a list reads as empty. Almost every list is
 * all strings: that case is checked in one pass, the mixed one item by item.
 */
const Texts = lenient(
  z.union([z.array(z.string()), z.array(z.string().nullable().catch(null))]),
).transform((items?: readonly (string | null)[]) =>
  (items ?? []).filter((item): item is string => item !== null),
);
const Severities = lenient(
  z.array(
    z
      .object({ type: z.string().min(1), score: z.string().min(1) })
      .nullable()
      .catch(null),
  ),
).transform((items) =>
  (items ?? []).filter((item): item is { type: string; score: string } => item !== null),
);

const NOT_ONE_EVENT = `an event that is not exactly one of ${EVENT_KINDS.join(', ')}`;
const EventVersion = z.string({ message: NOT_ONE_EVENT }).min(1, NOT_ONE_EVENT).optional();
const Event = z
  .object(
    Object.fromEntries(EVENT_KINDS.map((kind) => [kind, EventVersion])) as Record<
      EventKind,
      typeof EventVersion
    >,
    { message: NOT_ONE_EVENT },
  )
  .transform((event, context): { kind: EventKind; version: string } => {
    const kinds = EVENT_KINDS.filter((kind) => event[kind] !== undefined);
    if (kinds.length !== 1) {
      context.addIssue({ code: 'custom', message: NOT_ONE_EVENT });
      return z.NEVER;
    }
    return { kind: kinds[0]!, version: event[kinds[0]!]! };
  });
const Events = z
  .array(Event, { message: 'a range without events' })
  .min(1, 'a range without events')
  .refine((events) => events.some((e) => e.kind === 'introduced'), 'a range without "introduced"');

/** GIT ranges are counted and skipped, unread: commits are not in images. */
const Range = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('GIT') }),
    z.object({ type: z.enum(['ECOSYSTEM', 'SEMVER']), events: Events }),
  ],
  {
    error: ({ input: range }) =>
      isObject(range)
        ? `unknown range type ${JSON.stringify(range.type)}`
        : 'a range is not an object',
  },
);
/** Not a list reads as none; a list is read range by range. */
const Ranges = z.array(z.unknown()).catch([]).pipe(z.array(Range));

const NO_PACKAGE = 'no package ecosystem and name';
const Affected = z.object(
  {
    package: z.object(
      { ecosystem: required(NO_PACKAGE), name: required(NO_PACKAGE), purl: OptionalText },
      { message: NO_PACKAGE },
    ),
    ranges: Ranges,
    severity: Severities,
    versions: Texts,
    ecosystem_specific: OpaqueObject,
    database_specific: OpaqueObject,
  },
  { message: 'not an object' },
);

const NO_MODIFIED = 'no valid "modified" time';
/** The keys in the order the reasons are given: id, then `modified`, then each entry. */
export const OsvRecordSchema = z.object(
  {
    id: required('no id'),
    modified: required(NO_MODIFIED).refine((t) => !Number.isNaN(Date.parse(t)), NO_MODIFIED),
    published: OptionalText,
    withdrawn: OptionalText,
    aliases: Texts,
    related: Texts,
    upstream: Texts,
    summary: OptionalText,
    details: OptionalText,
    severity: Severities,
    affected: z.array(Affected, { message: '"affected" is not a list' }).optional(),
    database_specific: OpaqueObject,
  },
  { message: 'not a JSON object' },
);

/** The Go database's imports when every one is of the documented shape; else none. */
const GoNames = z.array(z.string().min(1)).nullish();
export const GoImports = z
  .array(z.object({ path: z.string().min(1), goos: GoNames, goarch: GoNames, symbols: GoNames }))
  .min(1);

export type OsvRecordInput = z.infer<typeof OsvRecordSchema>;
export type AffectedInput = z.infer<typeof Affected>;
