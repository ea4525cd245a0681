import { z } from 'zod';
import { describedBy, fieldPath, firstIssue } from '../core';
import { SuppressionError } from './errors';

/** OpenVEX 0.2 statuses (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md). */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
const STATUSES = [
  'not_affected',
  'affected',
  'fixed',
  'under_investigation',
] as const satisfies readonly VexStatus[];
const CONTEXT_PROBLEM = '"@context" is not https://openvex.dev/ns…';

/** One VEX statement, flattened for matching. */
export interface VexStatement {
  /** The vulnerability's name and aliases. */
  readonly vulnerabilities: readonly string[];
  /**
   * The package purls it speaks of: the subcomponents where a product lists them (the product
   * is then the image), else the products themselves.
   */
  readonly purls: readonly string[];
  readonly status: VexStatus;
  readonly justification?: string;
  readonly impactStatement?: string;
  /** The statement's time, else the document's; the latest statement wins. */
  readonly timestamp: string;
  /** The document it came from, for the report. */
  readonly source: string;
}

/**
 * Reads an OpenVEX 0.2 document. A document that is not one fails with a clear error: a VEX
 * file the scan cannot read must not silently suppress, or silently not suppress, anything.
 */
export function parseVex(document: unknown, source: string): VexStatement[] {
  const parsed = VexDocument.safeParse(document);
  if (!parsed.success) {
    // A statement's problem is named by the statement (`statements[2]: …`), not the field in it.
    const { path, message } = firstIssue(parsed.error);
    const where = path[0] === 'statements' && path.length > 1 ? fieldPath(path.slice(0, 2)) : '';
    const why = where === '' ? message : `${where}: ${message}`;
    throw new SuppressionError('VEX_INVALID', `${source}: not an OpenVEX 0.2 document: ${why}`);
  }
  const timestamp = parsed.data.timestamp ?? '';
  return parsed.data.statements.map((s) => ({ ...s, timestamp: s.timestamp ?? timestamp, source }));
}

/** A field read when it is of its type, else left out. */
const lenient = <T extends z.ZodTypeAny>(schema: T) => schema.optional().catch(undefined);
/** A list of which only the items `item` reads are kept; not a list reads as empty. */
const itemsOf = <T extends z.ZodTypeAny>(item: T) =>
  lenient(z.array(item.nullable().catch(null))).transform((items) =>
    (items ?? []).filter((i): i is NonNullable<z.infer<T>> => i !== null),
  );

const Component = z.object({
  '@id': lenient(z.string()),
  identifiers: lenient(z.object({ purl: lenient(z.string()) })),
});
/** A product's purls: its subcomponents' where it lists any (the product is then the image). */
const Product = Component.extend({ subcomponents: itemsOf(Component) }).transform((product) =>
  (product.subcomponents.length > 0 ? product.subcomponents : [product]).flatMap(purlsOf),
);

const Statement = z
  .object(
    {
      vulnerability: z.object(
        { name: z.string({ message: 'no vulnerability name' }), aliases: itemsOf(z.string()) },
        { message: 'no vulnerability name' },
      ),
      status: z.enum(
        STATUSES,
        describedBy((status) => `unknown status ${String(status)}`),
      ),
      products: itemsOf(Product)
        .transform((products) => products.flat())
        .refine((purls) => purls.length > 0, 'no product with a purl'),
      justification: lenient(z.string()),
      impact_statement: lenient(z.string()),
      timestamp: lenient(z.string()),
    },
    { message: 'not an object' },
  )
  .refine(
    (s) =>
      s.status !== 'not_affected' ||
      s.justification !== undefined ||
      s.impact_statement !== undefined,
    'not_affected needs a justification or an impact_statement',
  )
  .transform((s): Omit<VexStatement, 'timestamp' | 'source'> & { timestamp?: string } => ({
    vulnerabilities: [s.vulnerability.name, ...s.vulnerability.aliases],
    purls: s.products,
    status: s.status,
    ...(s.justification !== undefined && { justification: s.justification }),
    ...(s.impact_statement !== undefined && { impactStatement: s.impact_statement }),
    ...(s.timestamp !== undefined && { timestamp: s.timestamp }),
  }));

/** The keys in the order they are checked, so the first issue is the one to report. */
const VexDocument = z.object(
  {
    '@context': z
      .string({ message: CONTEXT_PROBLEM })
      .startsWith('https://openvex.dev/ns', CONTEXT_PROBLEM),
    timestamp: lenient(z.string()),
    statements: z.array(Statement, { message: 'no "statements" list' }),
  },
  { message: 'not a JSON object' },
);

/** A component's `@id` and `identifiers.purl`, where they are purls. */
function purlsOf(component: z.infer<typeof Component>): string[] {
  return [component['@id'], component.identifiers?.purl].filter(
    (id): id is string => id !== undefined && id.startsWith('pkg:'),
  );
}
