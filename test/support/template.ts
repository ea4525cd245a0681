import type { Template } from 'aws-cdk-lib/assertions';

type Json = Record<string, unknown>;

/** The logical id of the function of `functions/<handler>` (by its `clearance:handler` metadata). */
export function logicalIdOf(template: Template, handler: string): string {
  const functions = template.findResources('AWS::Lambda::Function');
  const id = Object.keys(functions).find(
    (key) => (functions[key] as { Metadata?: Json }).Metadata?.['clearance:handler'] === handler,
  );
  if (id === undefined) throw new Error(`no function ${handler}`);
  return id;
}

/** The environment variables of the function of `functions/<handler>`. */
export function environmentOf(template: Template, handler: string): Record<string, unknown> {
  const fn = template.findResources('AWS::Lambda::Function')[logicalIdOf(template, handler)] as {
    Properties: { Environment: { Variables: Record<string, unknown> } };
  };
  return fn.Properties.Environment.Variables;
}

/** The statements of the default policy of the role of the function whose id has `pascal`. */
export function roleStatements(template: Template, pascal: string): Json[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const id = Object.keys(policies).find((key) => key.startsWith(`Functions${pascal}Role`));
  if (id === undefined) throw new Error(`no role policy for ${pascal}`);
  return (policies[id] as { Properties: { PolicyDocument: { Statement: Json[] } } }).Properties
    .PolicyDocument.Statement;
}
