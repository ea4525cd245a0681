import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { z } from 'zod';
import { AwsError } from '../errors';
import type { Item } from './table';

/*
 * Plain values to and from DynamoDB attribute values, for the adapters' own items (strings,
 * numbers, booleans, lists and maps of them; no sets, no binary). Reading validates the result
 * with the adapter's schema, so an item of another shape is a clear error, not a wrong answer.
 */

/** A value the adapters store: JSON without null. */
export type Plain = string | number | boolean | readonly Plain[] | { readonly [k: string]: Plain };

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });

/** `value` as an attribute value; undefined fields of maps are left out. */
export function toAttribute(value: Plain): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: (value as readonly Plain[]).map(toAttribute) };
  return { M: toItem(value as Record<string, Plain | undefined>) };
}

/** The fields of `record` as an item, its undefined fields left out. */
export function toItem(record: Readonly<Record<string, Plain | undefined>>): Item {
  const item: Item = {};
  for (const [key, value] of Object.entries(record))
    if (value !== undefined) item[key] = toAttribute(value);
  return item;
}

/** An attribute value as a plain value (what {@link toAttribute} wrote). */
export function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.L !== undefined) return value.L.map(fromAttribute);
  if (value.M !== undefined) return fromItem(value.M);
  return undefined;
}

export function fromItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromAttribute(v)]));
}

/** The item read by `schema`; an item of another shape is `INVALID_STORED_ITEM` (a bug). */
export function readItem<S extends z.ZodTypeAny>(
  schema: S,
  item: Item,
  where: string,
): z.output<S> {
  const parsed = schema.safeParse(fromItem(item));
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0];
  throw new AwsError(
    'INVALID_STORED_ITEM',
    `expected ${where} of the adapter's shape, got one where ${issue?.path.join('.') || 'the item'}: ${issue?.message}`,
    'bug',
  );
}
