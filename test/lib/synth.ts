import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RootConstruct, type Node } from 'constructs';
import { ClearanceStack } from '../../lib/clearance-stack';
import type { ClearanceConfig } from '../../lib/config';

/** The project root (the functions' entries and the lock file are found there). */
export const ROOT = join(__dirname, '..', '..');

/** cdk.json's context without its `clearance` configuration (tests pass theirs). */
const { clearance: _configured, ...FEATURE_FLAGS } = (
  JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

/**
 * Where this test file's apps write their cloud assemblies, removed when the file is done (an App
 * without an outdir makes a cdk.out* directory in /tmp that nothing removes, ~750 KB a synth).
 */
const OUTDIRS = mkdtempSync(join(tmpdir(), 'clearance-test-synth-'));
let synths = 0;
afterAll(() => rmSync(OUTDIRS, { recursive: true, force: true }));

export interface Synthesized {
  readonly app: App;
  readonly stack: ClearanceStack;
  readonly template: Template;
}

/**
 * The stack as `cdk synth` makes it (cdk.json's feature flags), without bundling the functions
 * and without the built-in template validation, both slow and beside the point here.
 */
export function synthesize(config?: ClearanceConfig): Synthesized {
  const app = new App({
    outdir: join(OUTDIRS, String(synths++)),
    builtinCloudFormationValidation: false,
    context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new ClearanceStack(app, 'Clearance', { config, projectRoot: ROOT });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The node of a bare construct tree holding `context` (what configFromContext reads), without an App's cloud assembly directory. */
export function contextNode(context: Record<string, unknown>): Node {
  const root = new RootConstruct();
  for (const [key, value] of Object.entries(context)) root.node.setContext(key, value);
  return root.node;
}

/** A configuration with every optional part on. */
export const FULL_CONFIG: ClearanceConfig = {
  repositories: ['team-a/*', 'base', 'svc-??'],
  alertEmails: ['alerts@example.com'],
  operationsEmails: ['ops@example.com'],
  teamSubscriptions: [
    { email: 'team-a@example.com', repositoryPrefixes: ['team-a/'], severities: ['CRITICAL'] },
  ],
  policy: { kind: 's3', bucket: 'policies-bucket', key: 'clearance/policy.yaml' },
  promotion: { repository: 'release', tagPattern: '{tag}-cleared' },
  quarantine: 'tag',
  ecosystems: ['Debian', 'npm', 'Amazon Linux:2023'],
  alasBaseUrl: 'https://alas-mirror.example.com',
  kevUrl: 'https://mirror.example.com/kev.json',
  epssUrl: 'https://mirror.example.com/epss.csv.gz',
  signatureKeys: ['awskms://arn:aws:kms:eu-west-1:123456789012:key/0000-signing'],
  functions: { 'analyze-layer': { reservedConcurrency: 20, memoryMiB: 3008 } },
  fleetMaxConcurrency: 20,
  fleetToleratedFailurePercentage: 10,
  acceptGaps: ['no-advisory-source:amzn *'],
  securityHub: true,
};

type Json = Record<string, unknown>;

/**
 * The ASL of the state machine whose logical id starts with `prefix`, its tokens written as
 * `<Logical.Attr>` / `<Ref>` (they all stand inside JSON strings).
 */
export function definitionOf(template: Template, prefix: string): Json {
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  const id = Object.keys(machines).find((logicalId) => logicalId.startsWith(prefix));
  if (id === undefined) throw new Error(`no state machine ${prefix}*`);
  const definition = (machines[id] as { Properties: { DefinitionString: unknown } }).Properties
    .DefinitionString;
  const parts = (definition as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return JSON.parse(parts.map(tokenText).join('')) as Json;
}

function tokenText(part: unknown): string {
  if (typeof part === 'string') return part;
  const ref = (part as { Ref?: string }).Ref;
  if (ref !== undefined) return `<${ref}>`;
  const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt !== undefined) return `<${getAtt[0]}.${getAtt[1]}>`;
  throw new Error(`unexpected token in a definition: ${JSON.stringify(part)}`);
}

/** The `clearance:handler` of each Lambda function resource, by logical id. */
export function handlers(template: Template): Map<string, string> {
  const functions = template.findResources('AWS::Lambda::Function');
  return new Map(
    Object.entries(functions).map(([id, resource]) => [
      id,
      (resource as { Metadata?: Json }).Metadata?.['clearance:handler'] as string,
    ]),
  );
}
