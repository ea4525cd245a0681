import { isObject, type JsonObject } from '../core/json';
import { SuppressionError } from './errors';

/** OpenVEX 0.2 statuses (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md). */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
const STATUSES: readonly VexStatus[] = ['not_affected', 'affected', 'fixed', 'under_investigation'];

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
  const fail = (why: string): never => {
    throw new SuppressionError('VEX_INVALID', `${source}: not an OpenVEX 0.2 document: ${why}`);
  };
  if (!isObject(document)) return fail('not a JSON object');
  const context = document['@context'];
  if (typeof context !== 'string' || !context.startsWith('https://openvex.dev/ns'))
    return fail('"@context" is not https://openvex.dev/ns…');
  const timestamp = typeof document.timestamp === 'string' ? document.timestamp : '';
  if (!Array.isArray(document.statements)) return fail('no "statements" list');
  return document.statements.map((statement, i) =>
    statementOf(statement, { source, timestamp, fail: (why) => fail(`statements[${i}]: ${why}`) }),
  );
}

function statementOf(
  value: unknown,
  context: { source: string; timestamp: string; fail: (why: string) => never },
): VexStatement {
  const { fail } = context;
  if (!isObject(value)) return fail('not an object');
  const vulnerability = isObject(value.vulnerability) ? value.vulnerability : undefined;
  if (typeof vulnerability?.name !== 'string') return fail('no vulnerability name');
  const status =
    STATUSES.find((s) => s === value.status) ?? fail(`unknown status ${String(value.status)}`);
  const purls = productPurls(value.products);
  if (purls.length === 0) return fail('no product with a purl');
  const justification = typeof value.justification === 'string' ? value.justification : undefined;
  const impact = typeof value.impact_statement === 'string' ? value.impact_statement : undefined;
  if (status === 'not_affected' && justification === undefined && impact === undefined)
    return fail('not_affected needs a justification or an impact_statement');
  return {
    vulnerabilities: [vulnerability.name, ...strings(vulnerability.aliases)],
    purls,
    status,
    ...(justification !== undefined && { justification }),
    ...(impact !== undefined && { impactStatement: impact }),
    timestamp: typeof value.timestamp === 'string' ? value.timestamp : context.timestamp,
    source: context.source,
  };
}

function productPurls(products: unknown): string[] {
  if (!Array.isArray(products)) return [];
  return products.filter(isObject).flatMap((product) => {
    const subcomponents = Array.isArray(product.subcomponents)
      ? product.subcomponents.filter(isObject)
      : [];
    return (subcomponents.length > 0 ? subcomponents : [product]).flatMap(purlOf);
  });
}

function purlOf(component: JsonObject): string[] {
  const identifiers = isObject(component.identifiers) ? component.identifiers : {};
  return [component['@id'], identifiers.purl].filter(
    (id): id is string => typeof id === 'string' && id.startsWith('pkg:'),
  );
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
