import { parseAllDocuments } from 'yaml';
import { isObject, messageOf } from '../core';
import {
  isCloudFormationTemplate,
  readCloudFormationTemplate,
  taskDefinitionCount,
} from './cloudformation';
import { isComposeFile, readComposeFile } from './compose';
import { isEcsTaskDefinition, readEcsTaskDefinition } from './ecs';
import { readEcsInventory, isEcsInventory } from './ecs-inventory';
import {
  kubernetesDocumentOf,
  listItems,
  readKubernetesWorkload,
  type KubernetesDocument,
} from './kubernetes';
import { registryDocumentKind } from './registry';
import type { WorkloadSpec } from './workload';

/** One parsed document of a deployment file: `deploy.yaml#2` is its third document. */
export interface DeploymentDocument {
  readonly source: string;
  readonly value: unknown;
}

export type DocumentKind =
  | 'cloudformation'
  | 'ecs-task-definition'
  | 'ecs-inventory'
  | 'kubernetes'
  | 'compose'
  | 'ecr'
  | 'unknown';

/** What became of one document: read (workloads or registry data), skipped (no containers), or not read. */
export interface DocumentResult {
  readonly source: string;
  readonly kind: DocumentKind;
  /** `Deployment`, `Service`, `ecr-describe-repositories`: the document's own kind where it has one. */
  readonly type: string | null;
  readonly status: 'read' | 'skipped' | 'unknown' | 'invalid';
  /** Why it was skipped or not read. */
  readonly reason: string | null;
  /** The workloads read from it. */
  readonly workloads: readonly string[];
}

/** Characters of a deployment file read at most: definitions are small; this is not a data format. */
export const MAX_DEPLOYMENT_FILE_CHARS = 16 * 1024 * 1024;
/** YAML aliases expanded at most (the billion-laughs attack expands a few into billions). */
const MAX_YAML_ALIASES = 100;

/**
 * The documents of a deployment file: JSON (one document) or YAML (every `---` document; empty
 * ones are dropped). A file that is neither is one `invalid` document, never an exception.
 */
export function parseDeploymentFile(
  text: string,
  file: string,
): (DeploymentDocument | DocumentResult)[] {
  if (text.length > MAX_DEPLOYMENT_FILE_CHARS)
    return [
      invalid(
        file,
        `${text.length} characters; a deployment file is at most ${MAX_DEPLOYMENT_FILE_CHARS}`,
      ),
    ];
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [{ source: file, value: JSON.parse(trimmed) as unknown }];
    } catch {
      // YAML flow style starts the same way; let the YAML parser have its say.
    }
  }
  try {
    const documents = parseAllDocuments(trimmed);
    const list = Array.isArray(documents) ? documents : [documents];
    const several = list.length > 1;
    const read = list.flatMap((document, i): (DeploymentDocument | DocumentResult)[] => {
      const source = several ? `${file}#${i}` : file;
      const error = document.errors[0];
      if (error !== undefined) return [invalid(source, `not YAML: ${firstLine(error.message)}`)];
      const value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
      return value === null || value === undefined ? [] : [{ source, value }];
    });
    // An empty file (a `kubectl get … |` that printed nothing) is not a pass on nothing.
    return read.length > 0 ? read : [invalid(file, 'no documents: the file is empty')];
  } catch (error) {
    return [invalid(file, `not YAML: ${firstLine(messageOf(error))}`)];
  }
}

export function isDocumentResult(
  entry: DeploymentDocument | DocumentResult,
): entry is DocumentResult {
  return 'status' in entry;
}

/** What the documents hold: workloads, the registry documents, and each document's fate. */
export interface ReadDocuments {
  readonly workloads: WorkloadSpec[];
  readonly registry: DeploymentDocument[];
  readonly results: DocumentResult[];
}

/**
 * Reads every document by what it is, never by guessing: an ECS task definition, a recording of
 * the ECS API, a Kubernetes manifest (a `List`'s items one by one), a Compose file, an ECR API
 * output. A known document whose fields have the wrong type is `invalid`; anything else is
 * `unknown`. Kubernetes kinds that run no container (Service, ConfigMap, …) are `skipped`. A
 * file that did not parse comes as its result (parseDeploymentFile) and is kept as it is.
 */
export function readDocuments(
  documents: readonly (DeploymentDocument | DocumentResult)[],
): ReadDocuments {
  const read: ReadDocuments = { workloads: [], registry: [], results: [] };
  for (const document of documents)
    if (isDocumentResult(document)) read.results.push(document);
    else readOne(document, read);
  return read;
}

/** A document's fate: `status` and `reason`, with `workloads` read (none unless given). */
function result(
  source: string,
  kind: DocumentKind,
  type: string | null,
  status: DocumentResult['status'],
  reason: string | null,
  workloads: readonly WorkloadSpec[] = [],
): DocumentResult {
  return { source, kind, type, status, reason, workloads: workloads.map((w) => w.id) };
}

/** Reads workloads into `into`, the document's fate with them; a throw makes it invalid. */
function recordWorkloads(
  into: ReadDocuments,
  source: string,
  kind: DocumentKind,
  type: string | null,
  read: () => WorkloadSpec[],
): void {
  try {
    const workloads = read();
    into.workloads.push(...workloads);
    into.results.push(result(source, kind, type, 'read', null, workloads));
  } catch (error) {
    into.results.push(result(source, kind, type, 'invalid', messageOf(error)));
  }
}

function readOne(document: DeploymentDocument, into: ReadDocuments): void {
  const { source, value } = document;
  const record = (kind: DocumentKind, type: string | null, read: () => WorkloadSpec[]) =>
    recordWorkloads(into, source, kind, type, read);
  const kubernetes = kubernetesDocumentOf(value);
  if (kubernetes?.type === 'workload')
    return record('kubernetes', kubernetes.kind, () => [
      readKubernetesWorkload(value, kubernetes.kind, source),
    ]);
  if (kubernetes !== undefined) return readOtherKubernetes(document, kubernetes, into);
  if (isEcsInventory(value))
    return record('ecs-inventory', null, () => {
      const inventory = readEcsInventory(value, source);
      for (const { source: where, reason } of inventory.unread)
        into.results.push(result(where, 'ecs-inventory', null, 'invalid', reason));
      return inventory.workloads;
    });
  if (isCloudFormationTemplate(value)) return readTemplate(document, into);
  if (isEcsTaskDefinition(value))
    return record('ecs-task-definition', 'TaskDefinition', () => [
      readEcsTaskDefinition(value, source),
    ]);
  if (isComposeFile(value)) return record('compose', null, () => readComposeFile(value, source));
  const ecr = registryDocumentKind(value);
  if (ecr !== undefined) {
    into.registry.push(document);
    into.results.push(result(source, 'ecr', ecr, 'read', null));
    return;
  }
  into.results.push(
    result(
      source,
      'unknown',
      null,
      'unknown',
      `not a document this reads (${describe(value)}): an ECS task definition, a CloudFormation template, a Kubernetes workload, a Compose file or an ECR API output`,
    ),
  );
}

/** A CloudFormation template: its task definitions, or skipped when it has none. */
function readTemplate({ source, value }: DeploymentDocument, into: ReadDocuments): void {
  if (taskDefinitionCount(value) === 0) {
    into.results.push(
      result(
        source,
        'cloudformation',
        null,
        'skipped',
        'a template with no AWS::ECS::TaskDefinition',
      ),
    );
    return;
  }
  recordWorkloads(into, source, 'cloudformation', 'AWS::CloudFormation::Template', () =>
    readCloudFormationTemplate(value, source),
  );
}

/** A Kubernetes document that is not a workload: a List's items one by one, a kind skipped or unknown. */
function readOtherKubernetes(
  { source, value }: DeploymentDocument,
  kubernetes: Exclude<KubernetesDocument, { type: 'workload' }>,
  into: ReadDocuments,
): void {
  switch (kubernetes.type) {
    case 'list':
      into.results.push(result(source, 'kubernetes', 'List', 'read', null));
      listItems(value).forEach((item, i) =>
        readOne({ source: `${source}/items[${i}]`, value: item }, into),
      );
      return;
    case 'not-a-workload':
      into.results.push(
        result(
          source,
          'kubernetes',
          kubernetes.kind,
          'skipped',
          `a ${kubernetes.kind} runs no container`,
        ),
      );
      return;
    case 'unknown-kind':
      into.results.push(
        result(
          source,
          'kubernetes',
          kubernetes.kind,
          'unknown',
          `kind ${kubernetes.kind} (${String((value as { apiVersion: unknown }).apiVersion)}) is not one this reads: it may run containers that are not checked`,
        ),
      );
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (!isObject(value)) return `a ${typeof value}`;
  const keys = Object.keys(value).slice(0, 4);
  return keys.length === 0
    ? 'an empty mapping'
    : `a mapping of ${keys.join(', ')}${Object.keys(value).length > 4 ? ', …' : ''}`;
}

function invalid(source: string, reason: string): DocumentResult {
  return { source, kind: 'unknown', type: null, status: 'invalid', reason, workloads: [] };
}

/** The first line of a parser's message, without the colon that introduces its excerpt. */
function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim().replace(/:$/, '');
}
