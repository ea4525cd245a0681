import canonicalize from 'canonicalize';
import { messageOf } from '../core';
import { AuditError } from './errors';

/*
 * JSON Canonicalization Scheme, RFC 8785 (https://www.rfc-editor.org/rfc/rfc8785), by its
 * reference implementation (the `canonicalize` package): object members sorted by the UTF-16
 * code units of their names, no whitespace, strings and numbers as ECMAScript's JSON.stringify
 * writes them (numbers per ES Number::toString: `1e+30`, `4.5`, `0.002`), lone surrogates and
 * non-finite numbers refused. Members whose value is `undefined` are left out, as JSON does.
 */

/** The canonical JSON text of `value`; its UTF-8 bytes are what the audit chain hashes. */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    throw new AuditError(
      'NOT_CANONICALIZABLE',
      `expected a value with a canonical JSON form (RFC 8785), got one that fails: ${messageOf(error)}`,
      'bug',
      { cause: error },
    );
  }
  if (text === undefined)
    throw new AuditError(
      'NOT_CANONICALIZABLE',
      `expected a JSON value, got ${typeof value}`,
      'bug',
    );
  return text;
}
