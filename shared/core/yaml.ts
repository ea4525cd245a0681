/**
 * A YAML field that holds a day: YAML reads an unquoted `2027-03-31` as a Date, a quoted one as
 * text; both come back as `YYYY-MM-DD` text (unchecked), anything else as undefined.
 */
export function yamlDay(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
