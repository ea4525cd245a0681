import { parseOsvRecord, type OsvRecord } from '../../shared/osv/record';

/** An OSV record as the parser gives it, from the JSON fields of the OSV schema. */
export function osv(json: Record<string, unknown>): OsvRecord {
  const parsed = parseOsvRecord(json);
  if ('reason' in parsed) throw new Error(parsed.reason);
  return parsed.record;
}
