import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/** The official schemas in ../shared/schemas (beside the project, on every machine and in CI). */
const SCHEMAS = join(__dirname, '..', '..', '..', 'shared', 'schemas');

const compiled = new Map<string, ValidateFunction>();

type Draft = '04' | '07' | '2020-12';

function validator(file: string, draft: Draft): ValidateFunction {
  let validate = compiled.get(file);
  if (validate === undefined) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object;
    const options = { allErrors: true, strict: false };
    const ajv =
      draft === '2020-12'
        ? new Ajv2020(options)
        : draft === '04'
          ? new AjvDraft04(options)
          : new Ajv(options);
    addFormats(ajv);
    // OpenVEX's schema types `@id` as `iri`, which ajv-formats does not define. The ids we write are
    // purls and URNs: absolute IRIs (RFC 3987), so a scheme and no white space.
    ajv.addFormat('iri', /^[a-z][a-z0-9+.-]*:\S+$/i);
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
  return errorsOf(validator('spdx-2.3.schema.json', '07'), document);
}

/** Validation errors of one record against the official OSV JSON schema (2020-12); empty when valid. */
export function osvSchemaErrors(record: unknown): string[] {
  return errorsOf(validator('osv.schema.json', '2020-12'), record);
}

/** Validation errors of a document against the official OpenVEX 0.2 JSON schema; empty when valid. */
export function openVexSchemaErrors(document: unknown): string[] {
  return errorsOf(validator('openvex.schema.json', '2020-12'), document);
}

/** Validation errors of a log against the official SARIF 2.1.0 JSON schema (draft-04); empty when valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  return errorsOf(validator('sarif-2.1.0.schema.json', '04'), log);
}

/** Validation errors of a policy's scan document against the project's own schema (2020-12). */
export function scanDocumentSchemaErrors(document: unknown): string[] {
  return errorsOf(
    ownValidator(join(__dirname, '..', '..', 'shared', 'policy', 'scan-document.schema.json')),
    document,
  );
}

/** Validation errors of a notification's JSON form against the project's own schema (2020-12). */
export function notificationSchemaErrors(document: unknown): string[] {
  return errorsOf(
    ownValidator(join(__dirname, '..', '..', 'shared', 'notify', 'notification.schema.json')),
    document,
  );
}

function ownValidator(path: string): ValidateFunction {
  let validate = compiled.get(path);
  if (validate === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
    compiled.set(path, validate);
  }
  return validate;
}
