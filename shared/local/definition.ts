import { PipelineError } from '../pipeline';

/*
 * The ScanImage definition as CloudFormation will see it, for `clearance pipeline run`: the
 * state machine's DefinitionString from the synthesized template with its tokens resolved to
 * local ARNs, and which handler (`functions/<name>`) runs each Task state.
 */

/** A synthesized CloudFormation template, as far as the local runner reads it. */
export type CfnTemplate = Readonly<Record<string, unknown>>;
interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** The metadata key the CDK app puts on each function: the folder under `functions/`. */
export const HANDLER_METADATA = 'clearance:handler';

const LOCAL_ACCOUNT = '000000000000';
const LOCAL_REGION = 'local';

export interface LocalDefinition {
  /** The Amazon States Language definition, tokens resolved. */
  readonly definition: Record<string, unknown>;
  /** Task state name → handler folder name. */
  readonly tasks: ReadonlyMap<string, string>;
}

/**
 * The definition of the state machine whose logical id starts with `prefix` (`ScanImage`), and
 * the handler of each Task. A Task that runs no Clearance function is refused: locally there is
 * nothing to run it. With `from`, the part of the machine that starts at that state (the states
 * reachable from it), so that a branch runs without the states around it (FleetScan's Posture,
 * without its Distributed Map).
 */
export function localDefinition(
  template: CfnTemplate,
  prefix: string,
  from?: string,
  until?: string,
): LocalDefinition {
  const resources = resourcesOf(template);
  const [id, machine] =
    Object.entries(resources).find(
      ([logicalId, r]) =>
        r.Type === 'AWS::StepFunctions::StateMachine' && logicalId.startsWith(prefix),
    ) ?? [];
  if (id === undefined || machine === undefined)
    throw new PipelineError('MISCONFIGURED', `the template has no state machine ${prefix}…`);
  const text = resolveTokens(machine.Properties?.DefinitionString, resources);
  const whole = JSON.parse(text) as Record<string, unknown>;
  const definition = from === undefined ? whole : branchOf(whole, { from, until }, prefix);
  const tasks = new Map<string, string>();
  collectTasks(definition, resources, tasks);
  return { definition, tasks };
}

/** The local ARN a token stands for: functions by logical id, pseudo parameters by value. */
export function localArn(logicalId: string, resources: Record<string, TemplateResource>): string {
  const type = resources[logicalId]?.Type;
  if (type === 'AWS::Lambda::Function')
    return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
  if (type === 'AWS::StepFunctions::StateMachine')
    return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${logicalId}`;
  return `local-${logicalId}`;
}

/**
 * The top-level states reachable from `from` (by Next, Default, Choices and Catch), starting
 * there; with `until`, a state whose Next is that state ends the branch instead.
 */
function branchOf(
  definition: Record<string, unknown>,
  { from: start, until }: { readonly from: string; readonly until?: string },
  prefix: string,
): Record<string, unknown> {
  const states = (definition.States ?? {}) as Record<string, Record<string, unknown>>;
  if (states[start] === undefined)
    throw new PipelineError('MISCONFIGURED', `the state machine ${prefix}… has no state ${start}`);
  const kept: Record<string, unknown> = {};
  const visit = (name: string): void => {
    const state = states[name];
    if (state === undefined || name in kept || name === until) return;
    const { Next: next, ...rest } = state;
    kept[name] = next !== undefined && next === until ? { ...rest, End: true } : state;
    const choices = (state.Choices ?? []) as { Next?: string }[];
    const catches = (state.Catch ?? []) as { Next?: string }[];
    for (const next of [
      state.Next,
      state.Default,
      ...choices.map((c) => c.Next),
      ...catches.map((c) => c.Next),
    ])
      if (typeof next === 'string') visit(next);
  };
  visit(start);
  return { ...definition, StartAt: start, States: kept };
}

function resourcesOf(template: CfnTemplate): Record<string, TemplateResource> {
  return (template.Resources ?? {}) as Record<string, TemplateResource>;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

function resolveTokens(value: unknown, resources: Record<string, TemplateResource>): string {
  if (typeof value === 'string') return value;
  const token = value as Record<string, unknown> | undefined;
  if (token?.Ref !== undefined) {
    const ref = token.Ref as string;
    return PSEUDO[ref] ?? localArn(ref, resources);
  }
  if (token?.['Fn::GetAtt'] !== undefined) {
    const [logicalId] = token['Fn::GetAtt'] as [string, string];
    return localArn(logicalId, resources);
  }
  if (token?.['Fn::Join'] !== undefined) {
    const [separator, parts] = token['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveTokens(part, resources)).join(separator);
  }
  throw new PipelineError(
    'MISCONFIGURED',
    `cannot resolve a token of the definition locally: ${JSON.stringify(value)}`,
  );
}

function collectTasks(
  node: Record<string, unknown>,
  resources: Record<string, TemplateResource>,
  tasks: Map<string, string>,
): void {
  const states = (node.States ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') tasks.set(name, handlerOf(name, state, resources));
    for (const nested of [state.ItemProcessor, state.Iterator, ...((state.Branches as []) ?? [])])
      if (nested !== undefined) collectTasks(nested as Record<string, unknown>, resources, tasks);
  }
}

function handlerOf(
  name: string,
  state: Record<string, unknown>,
  resources: Record<string, TemplateResource>,
): string {
  const parameters = state.Parameters as Record<string, unknown> | undefined;
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  const functionName = parameters?.FunctionName;
  const arn = resource.startsWith('arn:aws:states:::lambda:invoke')
    ? typeof functionName === 'string'
      ? functionName
      : ''
    : resource;
  const logicalId = /:function:([^:]+)$/.exec(arn)?.[1];
  const handler = logicalId && resources[logicalId]?.Metadata?.[HANDLER_METADATA];
  if (typeof handler !== 'string')
    throw new PipelineError(
      'MISCONFIGURED',
      `task state ${name} runs ${resource || 'nothing'}, which is no Clearance function`,
    );
  return handler;
}

/**
 * The environment the template gives the function of `handler` (`functions/<handler>`): its
 * settings as deployed (promotion target, quarantine mode, trigger window). Values that are
 * tokens (ARNs, names of other resources) are left out; locally they mean nothing.
 */
export function functionEnvironment(
  template: CfnTemplate,
  handler: string,
): Readonly<Record<string, string>> {
  const fn = Object.values(resourcesOf(template)).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[HANDLER_METADATA] === handler,
  );
  const environment = fn?.Properties?.Environment as
    { Variables?: Record<string, unknown> } | undefined;
  return Object.fromEntries(
    Object.entries(environment?.Variables ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}
