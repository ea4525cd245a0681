/** Parsing untrusted JSON without throwing, and reading its fields without trusting their types. */

/** A parsed JSON object. */
export type JsonObject = { readonly [key: string]: unknown };

/** The parsed document, or the reason it could not be parsed. */
export type JsonParse = { readonly value: unknown } | { readonly reason: string };

/** Parses `bytes` as UTF-8 JSON (a leading BOM allowed), never throwing. */
export function parseJson(bytes: Buffer): JsonParse {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { reason: `invalid JSON: ${(error as Error).message}` };
  }
}

/** Whether `value` is a JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value[key]` when it is a non-empty string. */
export function stringField(value: JsonObject, key: string): string | undefined {
  const field = value[key];
  return typeof field === 'string' && field !== '' ? field : undefined;
}

/** The keys of `value[key]` when it is an object, sorted; empty otherwise. */
export function objectKeys(value: JsonObject, key: string): string[] {
  const field = value[key];
  return isObject(field) ? Object.keys(field).sort() : [];
}

/** `value[key]` when it is an object. */
export function objectField(value: JsonObject, key: string): JsonObject | undefined {
  const field = value[key];
  return isObject(field) ? field : undefined;
}
