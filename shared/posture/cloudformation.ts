import { isObject } from '../core';
import { readEcsTaskDefinition } from './ecs';
import type { WorkloadSpec } from './workload';

/*
 * CloudFormation templates (`cdk synth` output, hand-written stacks): each
 * `AWS::ECS::TaskDefinition` resource is read as the ECS API's task definition, its PascalCase
 * properties turned into the API's camelCase (the two name the same fields). A value that is an
 * intrinsic function (`Ref`, `Fn::Join`, `Fn::Sub`, …) is resolved only at deploy time: an image
 * given so is kept as `<unresolved Fn::Join>`, which the image checks report as an error (not a
 * pass); any other field given so makes the document invalid, with the field named. The
 * deployed definition (`aws ecs describe-task-definition`) has every value resolved.
 */

const TASK_DEFINITION = 'AWS::ECS::TaskDefinition';
/** Maps whose keys are the user's (labels, driver options), not property names. */
const USER_MAPS = new Set(['DockerLabels', 'Options']);
/** Container properties the ECS API takes as numbers, which a template may give as text. */
const NUMBERS = new Set([
  'Cpu',
  'Memory',
  'MemoryReservation',
  'ContainerPort',
  'HostPort',
  'SoftLimit',
  'HardLimit',
  'Size',
]);
const BOOLEANS = new Set([
  'Privileged',
  'ReadonlyRootFilesystem',
  'Essential',
  'ReadOnly',
  'InitProcessEnabled',
  'DisableNetworking',
  'Interactive',
  'PseudoTerminal',
]);

/** Whether `value` is a CloudFormation template (a `Resources` mapping of typed resources). */
export function isCloudFormationTemplate(value: unknown): boolean {
  return (
    isObject(value) &&
    isObject(value.Resources) &&
    Object.values(value.Resources).every((r) => isObject(r) && typeof r.Type === 'string')
  );
}

/** The template's task definitions, one workload each, by logical id. */
export function readCloudFormationTemplate(value: unknown, source: string): WorkloadSpec[] {
  const resources = (value as { Resources: Record<string, { Type: string; Properties?: unknown }> })
    .Resources;
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === TASK_DEFINITION)
    .map(([id, resource]) => {
      const properties = camelCased(resource.Properties ?? {}, undefined, true);
      const definition = isObject(properties) ? properties : {};
      const family = typeof definition.family === 'string' ? definition.family : id;
      const where = `${source}#Resources.${id}`;
      try {
        return readEcsTaskDefinition({ ...definition, family }, where);
      } catch (error) {
        throw new Error(`Resources.${id}: ${(error as Error).message}`);
      }
    });
}

/** How many task definitions the template holds (none: the template runs no container). */
export function taskDefinitionCount(value: unknown): number {
  const resources = (value as { Resources: Record<string, { Type: string }> }).Resources;
  return Object.values(resources).filter((r) => r.Type === TASK_DEFINITION).length;
}

/** PascalCase properties → camelCase, intrinsics kept (an image's as a marker), text coerced. */
function camelCased(value: unknown, key: string | undefined, rename: boolean): unknown {
  const intrinsic = intrinsicName(value);
  if (intrinsic !== undefined) return key === 'Image' ? `<unresolved ${intrinsic}>` : value;
  if (Array.isArray(value)) return value.map((item) => camelCased(item, undefined, rename));
  if (isObject(value)) {
    const inner = key === undefined || !USER_MAPS.has(key);
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        rename ? k.charAt(0).toLowerCase() + k.slice(1) : k,
        camelCased(v, k, inner),
      ]),
    );
  }
  if (typeof value === 'string' && key !== undefined) {
    if (NUMBERS.has(key) && /^\d+$/.test(value)) return Number(value);
    if (BOOLEANS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  }
  return value;
}

/** `Ref`, `Fn::Join`, …: the one key of an intrinsic function's object. */
function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))
    ? keys[0]
    : undefined;
}
