import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** The official schemas in ../shared/schemas (beside the project, on every machine and in CI). */
const SCHEMAS = join(__dirname, '..', '..', '..', 'shared', 'schemas');

/** Validation errors of `document` against the official SPDX 2.3 JSON schema (draft-07); empty when valid. */
export function spdxSchemaErrors(document: unknown): string[] {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, 'spdx-2.3.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return validate(document)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
