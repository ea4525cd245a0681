import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The official schemas in ../shared/schemas (beside the project, on every machine and in CI). */
const SCHEMAS = join(__dirname, '..', '..', '..', 'shared', 'schemas');

const compiled = new Map<string, ValidateFunction>();

function validator(file: string, draft2020: boolean): ValidateFunction {
  let validate = compiled.get(file);
  if (validate === undefined) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object;
    const ajv = draft2020
      ? new Ajv2020({ allErrors: true, strict: false })
      : new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
    compiled.set(file, validate);
  }
  return validate;
}

function errorsOf(validate: ValidateFunction, document: unknown): string[] {
  return validate(document)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** Validation errors of `document` against the official SPDX 2.3 JSON schema (draft-07); empty when valid. */
export function spdxSchemaErrors(document: unknown): string[] {
  return errorsOf(validator('spdx-2.3.schema.json', false), document);
}

/** Validation errors of one record against the official OSV JSON schema (2020-12); empty when valid. */
export function osvSchemaErrors(record: unknown): string[] {
  return errorsOf(validator('osv.schema.json', true), record);
}

/** Validation errors of a document against the official OpenVEX 0.2 JSON schema; empty when valid. */
export function openVexSchemaErrors(document: unknown): string[] {
  return errorsOf(validator('openvex.schema.json', true), document);
}
