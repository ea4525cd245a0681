import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration, Size, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_ENVIRONMENT, type FunctionName } from '../shared/handlers';
import { ENVIRONMENT_VARIABLES, type VariableKey } from '../shared/handlers';
import { acknowledge } from './nag';

/** The Lambda runtime of every function: the newest Node.js that Lambda and this CDK offer. */
export const RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The metadata key that names a function's folder under `functions/` (for the local runner). */
export const HANDLER_METADATA = 'clearance:handler';

/**
 * The stack's value of a variable of the environment contract (shared/handlers/environment.ts),
 * undefined where the stack has none (nothing configured, or a resource this stack lacks):
 * lib/function-environment.ts.
 */
export type EnvironmentValues = (variable: VariableKey) => string | undefined;

export interface PipelineFunctionProps {
  /**
   * The function's folder under `functions/`: its entry is `functions/<name>/index.ts`, its
   * variables those the environment contract declares for it (shared/handlers/environment.ts).
   */
  readonly name: FunctionName;
  readonly memoryMiB: number;
  readonly timeout: Duration;
  /**
   * `/tmp` size in MiB.
   * @default 512 - Lambda's minimum: the pipeline streams, it does not stage files
   */
  readonly ephemeralStorageMiB?: number;
  /** @default - no reservation: the function shares the account's unreserved concurrency */
  readonly reservedConcurrency?: number;
  /**
   * The stack's value of each variable, on top of Powertools' (service name, metrics
   * namespace): of those the function declares, each one with a value is set; a required one
   * without is refused.
   */
  readonly values: EnvironmentValues;
  /** Encrypts the function's log group. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * Where failed asynchronous invocations go.
   * @default - none: the function is only invoked synchronously (by Step Functions), whose
   * Retry and Catch handle its failures
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * The directory holding `functions/` and the lock file.
   * @default - the nearest directory above this file holding `cdk.json`
   */
  readonly projectRoot?: string;
}

/**
 * One pipeline step as a Lambda function: its `functions/<name>/index.ts` bundled by the local
 * esbuild (minified, with source maps), ARM64, Powertools' environment, active tracing, its own
 * encrypted log group, and a role that holds only what the stack grants it.
 */
export class PipelineFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const root = props.projectRoot ?? projectRoot();
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logKey,
      retention: props.logRetention,
    });
    // Our own role, so that its only managed policy is none: log writing is granted on this
    // function's log group alone (AWSLambdaBasicExecutionRole would allow every log group).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.logGroup.grantWrite(this.role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(root, 'functions', props.name, 'index.ts'),
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMiB,
      timeout: props.timeout,
      ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMiB ?? 512),
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: 'Clearance',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: BUNDLING,
    });
    for (const [variable, value] of contractVariables(props.name, props.values))
      this.function.addEnvironment(variable, value);
    (this.function.node.defaultChild as CfnResource).addMetadata(HANDLER_METADATA, props.name);
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions.',
    );
    // Lambda grants sqs:SendMessage on its dead-letter queue, not the queue's key.
    props.deadLetterQueue?.encryptionMasterKey?.grant(
      this.role,
      'kms:GenerateDataKey',
      'kms:Decrypt',
    );
    if (props.deadLetterQueue === undefined)
      acknowledge(
        this.function,
        'Serverless-LambdaDLQ',
        'Invoked synchronously by Step Functions only: a dead-letter queue applies to asynchronous invocations; the state machine retries and catches failures.',
      );
  }
}

/**
 * The variables the contract declares for function `name` that have a value, in its order; a
 * required one without a value is a bug of the stack, refused at synth rather than at cold start.
 */
function contractVariables(name: FunctionName, values: EnvironmentValues): [string, string][] {
  const variables: [string, string][] = [];
  for (const [key, requirement] of Object.entries(FUNCTION_ENVIRONMENT[name])) {
    const variable = ENVIRONMENT_VARIABLES[key as VariableKey];
    const value = values(key as VariableKey);
    if (value !== undefined && value !== '') variables.push([variable.name, value]);
    else if (requirement === 'required')
      throw new Error(`${name} requires ${variable.name}, and the stack has no value for it`);
  }
  return variables;
}

/**
 * How every function is bundled: the local esbuild (there is no Docker to fall back on), one
 * minified CommonJS file with its source map. The AWS SDK is bundled too, so that a function
 * runs the SDK versions it was tested with, not the runtime's.
 */
const BUNDLING: nodejs.BundlingOptions = {
  forceDockerBundling: false,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  format: nodejs.OutputFormat.CJS,
  // Optional XML plug-ins of @cyclonedx/cyclonedx-library, loaded only if installed; we write JSON.
  externalModules: ['xmlbuilder2', 'libxmljs2'],
  // As scripts/esbuild-options.mjs: the maintained punycode package, not Node's deprecated one.
  esbuildArgs: { '--alias:punycode': 'punycode/' },
};

/** The nearest directory above this file that holds `cdk.json` (lib/ and bundles in dist/ alike). */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'cdk.json'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`no cdk.json above ${from}: pass projectRoot to PipelineFunction`);
  }
}
