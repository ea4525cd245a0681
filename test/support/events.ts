import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  DETAIL_TYPES,
  type ClearanceEvent,
  type DetailType,
  type EventPublisher,
} from '../../shared/events';

/** The published detail schemas (shared/events/schemas/), draft 2020-12. */
const SCHEMAS = join(__dirname, '..', '..', 'shared', 'events', 'schemas');

const compiled = new Map<DetailType, { validate: ValidateFunction; declared: Set<string> }>();

/** The schema of a detail-type, as published. */
export function detailSchema(detailType: DetailType): Record<string, unknown> {
  const file = join(SCHEMAS, `${DETAIL_TYPES[detailType]}.schema.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * Errors of an event's detail against its detail-type's schema, and any top-level field the
 * schema does not declare (the schema admits fields added later; what we emit is all declared).
 */
export function eventSchemaErrors(event: Pick<ClearanceEvent, 'detailType' | 'detail'>): string[] {
  let entry = compiled.get(event.detailType);
  if (entry === undefined) {
    const schema = detailSchema(event.detailType);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    entry = {
      validate: ajv.compile(schema),
      declared: new Set(Object.keys(schema.properties as object)),
    };
    compiled.set(event.detailType, entry);
  }
  const errors = entry.validate(event.detail)
    ? []
    : (entry.validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  const undeclared = Object.keys(event.detail).filter((key) => !entry.declared.has(key));
  return [...errors, ...undeclared.map((key) => `/${key} is not declared by the schema`)];
}

/** Events kept in memory, each id once (as the EventBridge publisher's claims do). */
export class MemoryEventPublisher implements EventPublisher {
  readonly events: ClearanceEvent[] = [];

  publish(event: ClearanceEvent): Promise<boolean> {
    if (this.events.some((e) => e.id === event.id)) return Promise.resolve(false);
    this.events.push(event);
    return Promise.resolve(true);
  }
}
